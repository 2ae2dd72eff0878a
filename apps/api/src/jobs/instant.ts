import { z } from "zod";

const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * An ISO 8601 instant (with offset) that Postgres and `Date` both store as given: ISO accepts year
 * 0000, which Postgres refuses (22008), so bad input would otherwise surface as a 500.
 */
export function instantSchema() {
  return z.iso.datetime({ offset: true }).refine((value) => {
    const at = Date.parse(value);
    return at >= EARLIEST && at <= LATEST;
  }, "must be between 1970-01-01 and 9999-12-31");
}

import { createDb, createPool, type Db } from "@jobstream/db";
import type { Logger, Redis } from "@jobstream/runtime";
import type pg from "pg";
import { ReadRouting } from "./read-routing";
import { ReplicaMonitor } from "./replica-monitor";

export interface ReadSetup {
  readonly primary: { readonly db: Db; readonly pool: pg.Pool };
  /** DATABASE_READ_URL; undefined: every read goes to the primary. */
  readonly readUrl: string | undefined;
  readonly poolSize: number;
  readonly redis: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  readonly maxLagMs: number;
  readonly checkMs: number;
  readonly waitMs: number;
}

/** A replica that does not answer is given up on this fast (its reads then go to the primary). */
const REPLICA_CONNECT_TIMEOUT_MS = 2000;

/** The API's read routing, with the replica's handles and monitor when DATABASE_READ_URL is set. */
export function createReadRouting(setup: ReadSetup): { reads: ReadRouting; close: () => Promise<void> } {
  const base = { primary: setup.primary, redis: setup.redis, prefix: setup.prefix, logger: setup.logger };
  // A caller's write is remembered well past the longest lag the replica may serve with.
  const routing = { waitMs: setup.waitMs, rememberMs: Math.max(60_000, 4 * (setup.maxLagMs + setup.checkMs)) };
  if (setup.readUrl === undefined)
    return { reads: new ReadRouting({ ...base, ...routing }), close: () => Promise.resolve() };
  const connection = {
    connectionString: setup.readUrl,
    max: setup.poolSize,
    connectionTimeoutMillis: REPLICA_CONNECT_TIMEOUT_MS,
  };
  const pool = createPool(connection);
  const db = createDb(connection);
  const monitor = new ReplicaMonitor({
    primary: setup.primary.pool,
    replica: pool,
    logger: setup.logger,
    maxLagMs: setup.maxLagMs,
    intervalMs: setup.checkMs,
  });
  // Idle connections of a replica going away: the monitor's probe notices and says so once.
  pool.on("error", () => undefined);
  return {
    reads: new ReadRouting({ ...base, ...routing, replica: { db, pool, monitor } }),
    close: async () => {
      monitor.stop();
      await Promise.all([db.$disconnect(), pool.end()]);
    },
  };
}

import type { TimeseriesQuery } from "@jobstream/client";

/** The ranges the charts offer, each with the bucket width it starts with. */
export const RANGES = {
  "1h": { ms: 3_600_000, bucket: "1m" },
  "24h": { ms: 86_400_000, bucket: "1h" },
  "7d": { ms: 7 * 86_400_000, bucket: "1h" },
  "30d": { ms: 30 * 86_400_000, bucket: "1d" },
} as const;
export type RangeName = keyof typeof RANGES;
export const BUCKETS = ["1m", "5m", "1h", "1d"] as const;
type Bucket = (typeof BUCKETS)[number];

/** What the charts show, as the stats page's URL keeps it (`/stats?range=7d&bucket=1h&type=import`). */
export interface ChartRange {
  readonly range: RangeName;
  readonly bucket: Bucket;
  readonly type?: string;
  readonly subtype?: string;
}

const isRange = (v: string | null): v is RangeName => v !== null && Object.hasOwn(RANGES, v);
const isBucket = (v: string | null): v is Bucket => BUCKETS.some((b) => b === v);

/** The range in the URL; what is missing or unknown falls back to the last day by hour. */
export function chartRangeFrom(search: URLSearchParams): ChartRange {
  const rangeParam = search.get("range");
  const range = isRange(rangeParam) ? rangeParam : "24h";
  const bucketParam = search.get("bucket");
  const type = search.get("type") ?? "";
  const subtype = search.get("subtype") ?? "";
  return {
    range,
    bucket: isBucket(bucketParam) ? bucketParam : RANGES[range].bucket,
    ...(type === "" ? {} : { type }),
    ...(type === "" || subtype === "" ? {} : { subtype }),
  };
}

/** The API's query for a range ending now. */
export function timeseriesQuery(range: ChartRange, now: number): TimeseriesQuery {
  return {
    from: new Date(now - RANGES[range.range].ms).toISOString(),
    to: new Date(now).toISOString(),
    bucket: range.bucket,
    ...(range.type === undefined ? {} : { type: range.type }),
    ...(range.subtype === undefined ? {} : { subtype: range.subtype }),
  };
}

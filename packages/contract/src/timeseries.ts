import { z } from "zod";
import { countsOf } from "./fields";

/** Bucket widths of `GET /v1/stats/timeseries`, in seconds. */
export const timeseriesBucketSeconds = { "1m": 60, "5m": 300, "1h": 3600, "1d": 86_400 } as const;
export type TimeseriesBucketWidth = keyof typeof timeseriesBucketSeconds;

/** What happened in one bucket [start, start + width). */
export const timeseriesBucketSchema = z
  .object({
    start: z.iso.datetime(),
    /** Jobs created, and jobs that reached each final status, in the bucket. */
    ...countsOf(["created", "completed", "failed", "cancelled"]),
    /** Median and 95th percentile run time of the jobs completed in the bucket; null when none did. */
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
  })
  .meta({ id: "TimeseriesBucket" });
export type TimeseriesBucketView = z.infer<typeof timeseriesBucketSchema>;

export const timeseriesAnswerSchema = z.object({ buckets: z.array(timeseriesBucketSchema) }).meta({ id: "Timeseries" });
export type TimeseriesAnswer = z.infer<typeof timeseriesAnswerSchema>;

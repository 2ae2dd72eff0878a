import { Router } from "express";
import { z } from "zod";
import { timeseriesBucketSeconds, type TimeseriesAnswer, type TimeseriesBucketWidth } from "@jobstream/contract";
import { jobTimeseries } from "@jobstream/db";
import { principalOf } from "../auth/authenticate";
import { statsScopeOf } from "../auth/scope";
import { parseOr400 } from "../http/validate";
import { instantSchema } from "../jobs/instant";
import type { ReadRouting } from "../replica/read-routing";

/** Most buckets one answer holds: 25 hours of minutes, 5 days of 5 minutes, 62 days of hours. */
export const MAX_TIMESERIES_BUCKETS = 1500;
const DAY_MS = 86_400_000;

const widths = Object.keys(timeseriesBucketSeconds) as [TimeseriesBucketWidth, ...TimeseriesBucketWidth[]];

/** The query as sent (what the OpenAPI document shows). */
export const timeseriesQueryObject = z
  .object({
    from: instantSchema().optional().describe("Start of the range (inclusive); default: a day before `to`"),
    to: instantSchema().optional().describe("End of the range (exclusive); default: now"),
    bucket: z.enum(widths).default("1h"),
    type: z.string().min(1).max(100).optional(),
    subtype: z.string().min(1).max(100).optional(),
    orgId: z.guid().optional().describe("Services and operators: one org's jobs (default: every org)"),
  })
  .strict();

/** `from` defaults to a day before `to`, `to` to now, `bucket` to an hour. */
export const timeseriesQuerySchema = timeseriesQueryObject
  .transform((q) => {
    const to = q.to === undefined ? new Date() : new Date(q.to);
    const from = q.from === undefined ? new Date(to.getTime() - DAY_MS) : new Date(q.from);
    return { ...q, from, to, bucketSeconds: timeseriesBucketSeconds[q.bucket] };
  })
  .refine((q) => q.from < q.to, { message: "must be before `to`", path: ["from"] })
  .refine((q) => (q.to.getTime() - q.from.getTime()) / 1000 / q.bucketSeconds <= MAX_TIMESERIES_BUCKETS, {
    message:
      `the range holds more than ${String(MAX_TIMESERIES_BUCKETS)} buckets of this width: ` +
      "widen it or narrow the range",
    path: ["bucket"],
  });

/** `GET /v1/stats/timeseries`: jobs created and finished per bucket, scoped like every stats read. */
export function timeseriesRouter(deps: { readonly reads: ReadRouting }): Router {
  const router = Router();
  router.get("/v1/stats/timeseries", async (req, res) => {
    const q = parseOr400(timeseriesQuerySchema, req.query);
    const scope = statsScopeOf(principalOf(req), q.orgId);
    const buckets = await deps.reads.read(req, (r) => jobTimeseries(r.pool, scope, q));
    const answer: TimeseriesAnswer = {
      buckets: buckets.map((b) => ({ ...b, start: b.start.toISOString() })),
    };
    res.json(answer);
  });
  return router;
}

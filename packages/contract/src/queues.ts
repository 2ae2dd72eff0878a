import { z } from "zod";
import { countsOf } from "./fields";

/** One queue as operators see it (`GET /v1/queues`): shared by every org. */
export const queueViewSchema = z
  .object({
    name: z.string(),
    /** Whether workers take no new jobs from it (BullMQ's state; `changedAt` from the recorded change). */
    paused: z.boolean(),
    changedAt: z.iso.datetime().nullable(),
    /** BullMQ's live counts; null while Redis does not answer. */
    counts: z.object(countsOf(["waiting", "prioritized", "active", "delayed", "failed", "completed"])).nullable(),
    /** Worker connections on it (BullMQ's client list); null while Redis does not answer. */
    workers: z.number().int().nullable(),
    /** Jobs that finished per minute, averaged over the current minute and the 4 before (from Postgres). */
    ratePerMinute: z.object({ completed: z.number(), failed: z.number() }),
  })
  .meta({ id: "QueueView" });
export type QueueView = z.infer<typeof queueViewSchema>;

export const queueListSchema = z.object({ queues: z.array(queueViewSchema) }).meta({ id: "QueueList" });
export type QueueList = z.infer<typeof queueListSchema>;

export const queueAnswerSchema = z.object({ queue: queueViewSchema }).meta({ id: "QueueAnswer" });
export type QueueAnswer = z.infer<typeof queueAnswerSchema>;

/** The largest per-org concurrency cap an operator may set (`PUT /v1/queues/:name/orgs/:orgId/limit`). */
export const ORG_LIMIT_MAX = 10_000;

/** An org's concurrency cap in one queue (operator): the set cap (null: the workers' default) and its running jobs. */
export const orgLimitSchema = z
  .object({
    queue: z.string(),
    orgId: z.uuid(),
    /** Jobs of this org that may run at once in this queue; null: `ORG_CONCURRENCY_<TYPE>` of the workers, if any. */
    limit: z.number().int().min(1).max(ORG_LIMIT_MAX).nullable(),
    /** Jobs of the org holding a run slot now (counted only while the org is capped). */
    running: z.number().int().min(0),
  })
  .meta({ id: "OrgLimit" });
export type OrgLimit = z.infer<typeof orgLimitSchema>;

/** Body of `PUT /v1/queues/:name/orgs/:orgId/limit`: a cap, or null to remove the org's own cap. */
export const orgLimitBodySchema = z
  .object({ limit: z.number().int().min(1).max(ORG_LIMIT_MAX).nullable() })
  .strict()
  .meta({ id: "OrgLimitBody" });

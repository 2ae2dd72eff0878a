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

import { z } from "zod";
import { jobItemStatuses, jobStatuses, type MirrorEntry } from "@jobstream/db";

/** The event payload a worker publishes; parsed again by the mirror (it crossed a process boundary). */
const snapshotSchema = z.object({
  status: z.enum(jobStatuses),
  attempts: z.number().int().min(0),
  progress: z.number().min(0).max(100),
  message: z.string().nullable(),
  step: z.string().nullable(),
  total: z.number().int().min(0).nullable(),
  output: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string(), stack: z.string().nullable().optional() }).nullable(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  durationMs: z.number().int().min(0).nullable(),
  reopen: z.boolean().optional(),
});

const itemSchema = z.object({
  ref: z.string().min(1),
  status: z.enum(jobItemStatuses),
  message: z.string().nullable(),
  errorCode: z.string().nullable(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  attempt: z.number().int().min(1),
  at: z.number(),
});

const timelineSchema = z.object({
  type: z.enum(["queued", "delayed", "started", "step", "retrying", "stalled", "requeued", "completed", "failed", "cancelled", "retried"]),
  data: z.record(z.string(), z.unknown()),
  at: z.number(),
});

export const eventPayloadSchema = z.object({
  snapshot: snapshotSchema.nullable(),
  items: z.array(itemSchema),
  timeline: z.array(timelineSchema),
});
export type EventPayload = z.input<typeof eventPayloadSchema>;

/** Stream entry fields: j = job id, s = last sequence, d = JSON payload. */
export function decodeStreamEntry(fields: readonly string[]): MirrorEntry | null {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? "", fields[i + 1] ?? "");
  const jobId = map.get("j");
  const seq = Number(map.get("s"));
  const data = map.get("d");
  if (jobId === undefined || !Number.isSafeInteger(seq) || data === undefined) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = eventPayloadSchema.safeParse(raw);
  if (!parsed.success) return null;
  return { jobId, seq, snapshot: parsed.data.snapshot, items: parsed.data.items, timeline: parsed.data.timeline };
}

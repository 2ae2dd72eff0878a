import { z } from "zod";
import { jobItemStatuses, jobStatuses, type MirrorEntry } from "@jobstream/db";
import { hasUnsafeText, jsonMayHoldUnsafeText } from "./postgres-safe";

/** Bounds that keep every value inside what its Postgres column and `Date` accept. */
const int32 = z.number().int().min(0).max(2_147_483_647);
const epochMs = z.number().int().min(0).max(8.64e15);

/** A job id as Postgres stores it (any uuid); BullMQ's own ids ("5") have no row and never will. */
export const jobIdSchema = z.guid();
export const isJobId = (id: string): boolean => jobIdSchema.safeParse(id).success;

/** The event payload a worker publishes; parsed again by the mirror (it crossed a process boundary). */
const snapshotSchema = z.object({
  status: z.enum(jobStatuses),
  attempts: int32,
  progress: z.number().min(0).max(100),
  message: z.string().nullable(),
  step: z.string().nullable(),
  total: int32.nullable(),
  output: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string(), stack: z.string().nullable().optional() }).nullable(),
  startedAt: epochMs.nullable(),
  finishedAt: epochMs.nullable(),
  durationMs: int32.nullable(),
  reopen: z.boolean().optional(),
});

const itemSchema = z.object({
  ref: z.string().min(1).max(500),
  status: z.enum(jobItemStatuses),
  message: z.string().nullable(),
  errorCode: z.string().nullable(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  attempt: int32.min(1),
  at: epochMs,
});

const timelineSchema = z.object({
  type: z.enum([
    "queued",
    "delayed",
    "started",
    "step",
    "retrying",
    "stalled",
    "requeued",
    "completed",
    "failed",
    "cancelled",
    "retried",
  ]),
  data: z.record(z.string(), z.unknown()),
  at: epochMs,
});

export const eventPayloadSchema = z.object({
  snapshot: snapshotSchema.nullable(),
  items: z.array(itemSchema),
  timeline: z.array(timelineSchema),
  /** The publishing attempt's W3C trace context (only when its worker traces). */
  trace: z.record(z.string(), z.string()).optional(),
});
export type EventPayload = z.input<typeof eventPayloadSchema>;

export type DecodedEntry =
  | { readonly ok: true; readonly entry: MirrorEntry; readonly trace?: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly error: string };

/**
 * Stream entry fields: j = job id, s = last sequence, d = JSON payload. Anything Postgres would
 * refuse is refused here, with the reason, so one bad entry never reaches a batch statement.
 * A gap in a job's sequence is not an error: snapshots carry the whole state, and gaps are
 * legitimate (numbers reserved for API-side transitions, counters re-seeded after Redis lost them).
 */
export function parseStreamEntry(fields: readonly string[]): DecodedEntry {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? "", fields[i + 1] ?? "");
  const jobId = map.get("j");
  const seq = Number(map.get("s"));
  const data = map.get("d");
  if (jobId === undefined || data === undefined) return { ok: false, error: "missing field j or d" };
  if (!isJobId(jobId)) return { ok: false, error: "job id is not a uuid" };
  if (!Number.isSafeInteger(seq) || seq < 1) return { ok: false, error: "sequence is not a positive integer" };
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { ok: false, error: "payload is not JSON" };
  }
  const parsed = eventPayloadSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue !== undefined && issue.path.length > 0 ? issue.path.join(".") : "(root)";
    return { ok: false, error: `invalid payload at ${at}: ${issue?.message ?? "invalid"}` };
  }
  if (parsed.data.timeline.length > seq) return { ok: false, error: "more timeline entries than sequence numbers" };
  // The walk only when the text shows a NUL or surrogate escape (rare: publishers clean their payloads).
  if (jsonMayHoldUnsafeText(data) && hasUnsafeText(raw))
    return { ok: false, error: "payload holds a NUL character or a lone surrogate" };
  const entry = {
    jobId,
    seq,
    snapshot: parsed.data.snapshot,
    items: parsed.data.items,
    timeline: parsed.data.timeline,
  };
  return parsed.data.trace === undefined ? { ok: true, entry } : { ok: true, entry, trace: parsed.data.trace };
}

/** The entry, or null when it is malformed (see `parseStreamEntry` for the reason). */
export function decodeStreamEntry(fields: readonly string[]): MirrorEntry | null {
  const decoded = parseStreamEntry(fields);
  return decoded.ok ? decoded.entry : null;
}

import { isDataError, type ApplyResult, type MirrorEntry } from "@jobstream/db";
import { postgresSafeText } from "@jobstream/queue";

/** A decoded entry with where it came from (to acknowledge it, or set it aside). */
export interface SourcedEntry {
  readonly queue: string;
  readonly streamId: string;
  readonly fields: readonly string[];
  readonly entry: MirrorEntry;
}

/** An entry that can never apply, and why. */
export interface Rejected {
  readonly queue: string;
  readonly streamId: string;
  readonly fields: readonly string[];
  readonly error: string;
}

export const NO_JOB_ROW = "no job row with this id (never stored through the API, or already deleted)";

/**
 * Applies entries as one batch; when Postgres refuses the batch because of its data (not an
 * outage), splits it in halves and applies each, down to single entries, so the entries that
 * apply do and each refused one is returned alone with Postgres' reason. An outage error is
 * thrown as is: the caller retries the whole batch later (applying is idempotent, so halves
 * already applied cost nothing the second time). Entries naming a job without a row applied
 * nothing and are returned too — they would not apply on any later try either.
 * O(k log n) statements for k bad entries in n; one statement when none is bad.
 */
export async function applyIsolating(
  apply: (entries: MirrorEntry[]) => Promise<Pick<ApplyResult, "missingJobIds">>,
  entries: readonly SourcedEntry[],
  /** Applies all of `entries` at once, as `apply` would (from parameters encoded ahead); the halves use `apply`. */
  applyAll?: () => Promise<Pick<ApplyResult, "missingJobIds">>,
): Promise<Rejected[]> {
  if (entries.length === 0) return [];
  try {
    const { missingJobIds } = await (applyAll ?? (() => apply(entries.map((e) => e.entry))))();
    if (missingJobIds.length === 0) return [];
    const missing = new Set(missingJobIds);
    return entries.filter((e) => missing.has(e.entry.jobId)).map((e) => rejected(e, NO_JOB_ROW));
  } catch (error) {
    if (!isDataError(error)) throw error;
    if (entries.length === 1 && entries[0] !== undefined)
      return [rejected(entries[0], `postgres refused it: ${(error as Error).message}`)];
    const half = Math.ceil(entries.length / 2);
    const first = await applyIsolating(apply, entries.slice(0, half));
    const second = await applyIsolating(apply, entries.slice(half));
    return [...first, ...second];
  }
}

const rejected = (e: SourcedEntry, error: string): Rejected => ({
  queue: e.queue,
  streamId: e.streamId,
  fields: e.fields,
  error: postgresSafeText(error),
});

import type pg from "pg";
import { applyMirrorBatch, recordDeadLetters, writePreparedMirrorBatch, type DeadLetter } from "@jobstream/db";
import { announceChanges, MIRROR_GROUP, postgresSafeText, type JobstreamCommands } from "@jobstream/queue";
import { activeTracing, type Logger, type RedisClient } from "@jobstream/runtime";
import { applyIsolating } from "./apply-isolating";
import type { Batch } from "./batch-reader";

export interface CommitDeps {
  readonly pool: pg.Pool;
  readonly redis: RedisClient & JobstreamCommands;
  readonly prefix: string;
  readonly logger: Logger;
  readonly onBatch?: (info: { entries: number; lagsMs: number[] }) => void;
  readonly onDeadLetter?: (letter: DeadLetter) => void;
}

/**
 * Applies a batch so that no entry can hold it up: what Postgres refuses as data is isolated,
 * and it, the malformed entries and those naming no job become dead letters — stored before the
 * batch is acknowledged, so none is lost. An outage throws: the whole batch is read again.
 */
export async function applyBatch(deps: CommitDeps, batch: Batch): Promise<void> {
  if (batch.sourced.length === 0 && batch.malformed.length === 0) return;
  const tracing = activeTracing();
  // One span per batch (it writes many jobs' events at once), linked to each job's attempt.
  if (tracing === null) await applyEntries(deps, batch);
  else
    await tracing.batch("mirror write", batch.traces, { "jobstream.entries": batch.sourced.length }, () =>
      applyEntries(deps, batch),
    );
}

async function applyEntries(deps: CommitDeps, batch: Batch): Promise<void> {
  const refused = await applyIsolating(
    (entries) => applyMirrorBatch(deps.pool, entries),
    batch.sourced,
    () => writePreparedMirrorBatch(deps.pool, batch.prepared),
  );
  const rejected = [...batch.malformed, ...refused];
  if (rejected.length === 0) return;
  const stored = await recordDeadLetters(
    deps.pool,
    rejected.map((r) => ({
      queue: r.queue,
      streamId: r.streamId,
      jobId: jobIdOf(r.fields),
      raw: rawText(r.fields),
      error: postgresSafeText(r.error),
    })),
  );
  for (const letter of stored) {
    deps.logger.error(
      { queue: letter.queue, streamId: letter.streamId, jobId: letter.jobId, reason: letter.error },
      "mirror entry set aside as a dead letter",
    );
    deps.onDeadLetter?.(letter);
  }
}

/**
 * After the batch is committed: acknowledges and deletes its entries (only now, so a mirror that
 * dies before re-reads them), then tells the API's streams which jobs changed.
 */
export async function acknowledgeBatch(deps: CommitDeps, batch: Batch, committed: number): Promise<void> {
  // Sent together without waiting, each command on its own key: on a Redis Cluster a MULTI or
  // pipeline could not span the streams' slots. A stream's XACK and XDEL are one script, so a
  // mirror that dies meanwhile leaves its entries either pending (read again) or gone.
  const commands: Promise<unknown>[] = [];
  for (const [key, list] of batch.byStream) {
    if (list.length === 0) continue;
    commands.push(deps.redis.jobstreamAckDelete(key, MIRROR_GROUP, ...list));
  }
  // Finished jobs no longer need their sequence counter (a retry re-seeds it from the row).
  for (const f of batch.finished) commands.push(deps.redis.jobstreamForget(f.seqKey, f.jobId, f.seq));
  if (commands.length === 0) return;
  await Promise.all(commands);
  await announceChanges(
    deps.redis,
    deps.prefix,
    batch.entries.map((e) => e.jobId),
  );
  // A stream entry id starts with the Redis time (ms) it was added at.
  const lagsMs = [...batch.byStream.values()].flat().map((id) => committed - Number(id.split("-")[0]));
  deps.onBatch?.({ entries: batch.entries.length, lagsMs });
}

/** The entry's fields as JSON text: JSON.stringify escapes NUL and lone surrogates, so Postgres takes it. */
function rawText(fields: readonly string[]): string {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i] ?? "", fields[i + 1] ?? ""]);
  // fromEntries defines own properties: a field named "__proto__" stays a field.
  return JSON.stringify(Object.fromEntries(pairs));
}

/** The job id as read, cut to a size and made storable: it may be anything a bad publisher wrote. */
function jobIdOf(fields: readonly string[]): string | null {
  const index = fields.findIndex((f, i) => i % 2 === 0 && f === "j");
  const id = index >= 0 ? fields[index + 1] : undefined;
  return id === undefined ? null : postgresSafeText(postgresSafeText(id).slice(0, 200));
}

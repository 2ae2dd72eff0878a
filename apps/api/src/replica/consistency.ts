import { ApiError } from "../http/errors";

/**
 * `X-Jobstream-Consistency`: the primary's WAL position right after a write, as Postgres writes an
 * LSN (`16/B374D848`). A read presenting it is served only by a replica that has replayed that far.
 */
export const CONSISTENCY_HEADER = "X-Jobstream-Consistency";

const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** A WAL byte position as an LSN. */
export function formatLsn(position: bigint): string {
  return `${(position >> 32n).toString(16).toUpperCase()}/${(position & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** The position an LSN names; a malformed header is the caller's mistake (400, naming the header). */
export function parseLsn(text: string): bigint {
  const match = LSN.exec(text.trim());
  if (match?.[1] === undefined || match[2] === undefined)
    throw new ApiError("validation_failed", "request is invalid", [
      { path: `headers.${CONSISTENCY_HEADER.toLowerCase()}`, message: "must be an LSN such as 16/B374D848" },
    ]);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

export type ReplicaStatus = "ok" | "lagging" | "down";

/** What the monitor last measured; `lagMs`/`lagBytes` are null while the replica does not answer. */
export interface ReplicaHealth {
  readonly status: ReplicaStatus;
  readonly lagBytes: number | null;
  readonly lagMs: number | null;
  /** WAL the replica had replayed at the last probe. */
  readonly replayed: bigint;
}

/**
 * How far behind the replica is in time. Zero when it has replayed all the primary has written.
 * Otherwise the smaller of two upper bounds: since the last replayed commit was made (large after
 * an idle spell, when the only new WAL is a checkpoint) and since the last probe that found it
 * caught up (large under steady writes, when a few bytes are always in flight).
 */
export function lagMsOf(lagBytes: bigint, sinceLastReplayMs: number | null, sinceCaughtUpMs: number): number {
  if (lagBytes <= 0n) return 0;
  return Math.max(0, Math.min(sinceLastReplayMs ?? Number.POSITIVE_INFINITY, sinceCaughtUpMs));
}

/** The state a probe's figures amount to. */
export function statusOf(standby: boolean, lagMs: number, maxLagMs: number): ReplicaStatus {
  if (!standby) return "down";
  return lagMs > maxLagMs ? "lagging" : "ok";
}

/**
 * The position a read presenting `presented` waits for. A position beyond the newest the primary
 * is known to have written (`newestPrimary`: its position now, or as last probed) cannot be a
 * write the caller saw answered: it is read as "as fresh as the primary", that newest position —
 * never a wait for WAL that does not exist (which would poll the replica for the whole wait and
 * then read the primary anyway).
 */
export function capPresented(presented: bigint, newestPrimary: bigint): bigint {
  return presented > newestPrimary ? newestPrimary : presented;
}

/**
 * Where a read goes: `replica` when it is healthy and has replayed the caller's last write
 * (`required`, 0n when the caller wrote nothing recently), `wait` when it is healthy but behind that
 * write (wait, bounded, then the primary), `primary` otherwise.
 */
export function routeRead(health: ReplicaHealth, required: bigint): "replica" | "wait" | "primary" {
  if (health.status !== "ok") return "primary";
  return health.replayed >= required ? "replica" : "wait";
}

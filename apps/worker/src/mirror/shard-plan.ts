import { fnv1a } from "@jobstream/queue";

/** What one mirror knows of one queue's shards at a lease round. */
export interface ShardView {
  readonly queue: string;
  /** This mirror's id: its preference among shards (rendezvous weights) derives from it. */
  readonly mirrorId: string;
  /** Shards of this process's layout (`MIRROR_SHARDS`): 0 … configured - 1. */
  readonly configured: number;
  /** Live mirror processes (the registry), this one included. */
  readonly liveMirrors: number;
  /** Shards of the queue this mirror holds now. */
  readonly owned: readonly number[];
  /** Shards at or beyond `configured` (another or an earlier layout) whose streams still hold entries. */
  readonly leftovers: readonly number[];
}

/** What to do with one queue's leases this round. */
export interface ShardPlan {
  /** How many of the configured shards this mirror may hold: its fair share. */
  readonly share: number;
  /** Held shards to renew. */
  readonly keep: readonly number[];
  /** Held shards to let go: over the fair share (another mirror joined) or leftovers drained. */
  readonly release: readonly number[];
  /** Configured shards to try, in order, while fewer than `share` are held. */
  readonly candidates: readonly number[];
  /** Leftover shards to take whatever the share: they are drained, then let go. */
  readonly drain: readonly number[];
}

/** Each mirror orders shards differently (rendezvous hashing), so mirrors starting together rarely compete. */
export function shardWeight(mirrorId: string, queue: string, shard: number): number {
  return fnv1a(`${mirrorId}\u0000${queue}\u0000${String(shard)}`);
}

/**
 * Spreads a queue's shards over the live mirrors: each holds at most ceil(shards / live mirrors)
 * of them, keeping those it prefers, and takes free ones (a dead mirror's, once its lease expired)
 * up to that share. Shards of another layout are drained by whoever gets them while they hold
 * entries, outside the share.
 */
export function planShards(view: ShardView): ShardPlan {
  const share = Math.ceil(view.configured / Math.max(1, view.liveMirrors));
  const byPreference = (shards: readonly number[]) =>
    [...shards].sort(
      (a, b) => shardWeight(view.mirrorId, view.queue, b) - shardWeight(view.mirrorId, view.queue, a) || a - b,
    );
  const owned = new Set(view.owned);
  const leftovers = new Set(view.leftovers);
  const ownedConfigured = byPreference(view.owned.filter((s) => s < view.configured));
  const ownedOther = view.owned.filter((s) => s >= view.configured);
  const keep = [...ownedConfigured.slice(0, share), ...ownedOther.filter((s) => leftovers.has(s))];
  const release = [...ownedConfigured.slice(share), ...ownedOther.filter((s) => !leftovers.has(s))];
  const all = Array.from({ length: view.configured }, (_, s) => s);
  return {
    share,
    keep,
    release,
    candidates: byPreference(all.filter((s) => !owned.has(s))),
    drain: view.leftovers.filter((s) => s >= view.configured && !owned.has(s)),
  };
}

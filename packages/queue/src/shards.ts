/** Most shards a queue's event stream may be split into (`MIRROR_SHARDS`). */
export const MAX_MIRROR_SHARDS = 256;

/** FNV-1a (32 bits) of a string's UTF-16 code units: cheap, and the same in every process. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The shard of a queue's event stream that carries a job's events: a jump consistent hash
 * (Lamping & Veach) of the job id, so every event of one job goes to one shard (its order is kept)
 * and a change of `shards` moves as few jobs as possible (from n to n + 1: one job in n + 1).
 * The per-key random sequence is mulberry32 seeded by FNV-1a of the id (no 64-bit arithmetic).
 */
export function shardOf(jobId: string, shards: number): number {
  if (shards <= 1) return 0;
  let state = fnv1a(jobId);
  let bucket = -1;
  let next = 0;
  while (next < shards) {
    bucket = next;
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    // A uniform number in (0, 1]: the next bucket this key would jump to.
    const random = (((t ^ (t >>> 14)) >>> 0) + 1) / 2 ** 32;
    next = Math.floor((bucket + 1) / random);
  }
  return bucket;
}

/**
 * A shard's stream name, part of its Redis keys and of dead letters' `queue`: shard 0 is the
 * queue's own name (the keys of an unsharded deployment), shard n is `<queue>#<n>`.
 */
export function streamName(queue: string, shard: number): string {
  return shard === 0 ? queue : `${queue}#${String(shard)}`;
}

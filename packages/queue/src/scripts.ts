import type { RedisClient } from "@jobstream/runtime";

/**
 * Lua that moves a job's counter (KEYS[1], field ARGV[1]) to at least a floor, then `count` further,
 * leaving the new value in `last`: a job re-entering Redis, or a transition written straight to
 * Postgres, continues above the row's last applied sequence instead of reusing its numbers.
 */
const advance = (floor: string, count: string) => `
local cur = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local floor = tonumber(${floor})
if cur < floor then cur = floor end
local last = cur + tonumber(${count})
redis.call('HSET', KEYS[1], ARGV[1], last)`;

/**
 * Hands out the job's next sequence numbers (above `floor`, the row's last applied sequence when
 * the caller knows it) and appends the event to the queue's stream in one atomic step, so
 * sequence order is stream order for every job.
 * The publish id is kept beside the counter (field `<job id>#p`): the same id again is a command
 * sent twice (ioredis re-sends a command whose reply a failed-over master never sent, and the
 * promoted replica may already hold its effect), answered with the current sequence and no entry.
 * One job's publishes are sequential, so comparing with the last id is enough.
 * KEYS: seq hash, stream. ARGV: job id, how many numbers (at least 1), payload, floor, publish id.
 */
const PUBLISH = `
local pid = ARGV[1] .. '#p'
if redis.call('HGET', KEYS[1], pid) == ARGV[5] then
  return tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
end
${advance("ARGV[4]", "ARGV[2]")}
redis.call('HSET', KEYS[1], pid, ARGV[5])
redis.call('XADD', KEYS[2], '*', 'j', ARGV[1], 's', last, 'd', ARGV[3])
return last`;

/**
 * Drops a finished job's counter and last publish id unless a retry already moved it on.
 * KEYS: seq hash. ARGV: job id, seq.
 */
const FORGET = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  return redis.call('HDEL', KEYS[1], ARGV[1], ARGV[1] .. '#p')
end
return 0`;

/**
 * Acknowledges and deletes a batch's entries of one stream in one atomic step. Sent as two
 * commands, a mirror that died between them (or whose second command the server never read)
 * left entries acknowledged but never deleted: never read again, never trimmed, so the stream
 * never drained. Ids go in slices (Lua's unpack has a stack limit). KEYS: stream. ARGV: group, ids.
 */
const ACK_DELETE = `
local deleted = 0
for i = 2, #ARGV, 1000 do
  local ids = {}
  for j = i, math.min(i + 999, #ARGV) do ids[#ids + 1] = ARGV[j] end
  redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
  deleted = deleted + redis.call('XDEL', KEYS[1], unpack(ids))
end
return deleted`;

/**
 * Raises a job's sequence to at least a floor and hands out `count` more numbers without
 * publishing: used when a job re-enters Redis after its Redis state was lost, and by API-side
 * transitions written straight to Postgres. KEYS: seq hash. ARGV: job id, floor, count.
 */
const RESERVE = `${advance("ARGV[2]", "ARGV[3]")}
return last`;

/**
 * Raises the shard count recorded for the deployment to at least ARGV[1] and returns it: the
 * largest layout any publisher or mirror used, whose shards mirrors keep draining. KEYS: the count.
 */
const RAISE_SHARDS = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '1')
local wanted = tonumber(ARGV[1])
if wanted > cur then
  redis.call('SET', KEYS[1], wanted)
  return wanted
end
return cur`;

export interface JobstreamCommands {
  jobstreamPublish(
    seqKey: string,
    streamKey: string,
    jobId: string,
    count: number,
    payload: string,
    floor: number,
    publishId: string,
  ): Promise<number>;
  jobstreamForget(seqKey: string, jobId: string, seq: number): Promise<number>;
  /** XACK and XDEL of a stream's entries together; answers how many were deleted. */
  jobstreamAckDelete(streamKey: string, group: string, ...ids: string[]): Promise<number>;
  jobstreamReserve(seqKey: string, jobId: string, floor: number, count: number): Promise<number>;
  jobstreamRaiseShards(shardsKey: string, shards: number): Promise<number>;
}

const registered = new WeakSet<RedisClient>();

/** Defines the Lua commands on a connection once (ioredis caches them with EVALSHA). */
export function withScripts<R extends RedisClient>(redis: R): R & JobstreamCommands {
  if (!registered.has(redis)) {
    redis.defineCommand("jobstreamPublish", { numberOfKeys: 2, lua: PUBLISH });
    redis.defineCommand("jobstreamReserve", { numberOfKeys: 1, lua: RESERVE });
    redis.defineCommand("jobstreamForget", { numberOfKeys: 1, lua: FORGET });
    redis.defineCommand("jobstreamAckDelete", { numberOfKeys: 1, lua: ACK_DELETE });
    redis.defineCommand("jobstreamRaiseShards", { numberOfKeys: 1, lua: RAISE_SHARDS });
    registered.add(redis);
  }
  return redis as R & JobstreamCommands;
}

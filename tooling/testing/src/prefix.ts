import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { testEnv } from "./env";

/** A BullMQ key prefix of the test's own, so tests never see each other's keys. */
export function testQueuePrefix(): string {
  return `jstest-${randomBytes(5).toString("hex")}`;
}

/** Deletes every key under the prefix (and nothing else). */
export async function deletePrefix(prefix: string, url = testEnv.redisUrl): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let deleted = 0;
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== "0");
    return deleted;
  } finally {
    redis.disconnect();
  }
}

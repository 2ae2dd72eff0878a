import { randomUUID } from "node:crypto";
import { test } from "vitest";
import { testDatabase } from "./database";
import { testEnv } from "./env";
import { deletePrefix, testQueuePrefix } from "./prefix";
import { startReplicatedPostgres, type ReplicatedPostgres } from "./replica";
import { System } from "./system";

type OnCleanup = (cleanup: () => Promise<void>) => void;

/** The servers every fixture below works on; a file-wide value, so file fixtures may read it. */
const base = test.extend("servers", { scope: "file" }, testEnv);

/**
 * `database`: a private migrated database per test file, made on first use and dropped after the
 * file's last test. `prefix`: a BullMQ key prefix per test, every key under it deleted after it.
 */
export const resourceTest = base
  .extend("database", { scope: "file" }, async ({ servers }, { onCleanup }) => {
    const database = await testDatabase(servers.adminDatabaseUrl);
    onCleanup(() => database.drop());
    return database;
  })
  .extend("prefix", ({ servers }, { onCleanup }) => {
    const prefix = testQueuePrefix();
    onCleanup(async () => {
      await deletePrefix(prefix, servers.redisUrl);
    });
    return prefix;
  });

/** What an app process needs to start on a test's own database and key prefix, plus `extra`. */
export function appEnv(
  resources: { database: { url: string }; prefix: string; servers: { redisUrl: string } },
  extra: Record<string, string> = {},
): Record<string, string> {
  const { database, prefix, servers } = resources;
  return { DATABASE_URL: database.url, REDIS_URL: servers.redisUrl, QUEUE_PREFIX: prefix, ...extra };
}

/** Initialises `system` and runs `start` (the processes a file needs); all of it is stopped on cleanup. */
export async function launchSystem<T>(
  system: System,
  onCleanup: OnCleanup,
  start: (sys: System) => Promise<T>,
): Promise<{ sys: System; started: T }> {
  onCleanup(() => system.stop());
  await system.init();
  return { sys: system, started: await start(system) };
}

/**
 * A whole Jobstream per test file (its own database, key prefix, API and workers as `start`
 * launches them), up before the file's first test and stopped after its last. `started` is what
 * `start` returned (processes a test inspects); `member` is a member's token in an org of its own.
 */
export function systemTest<T = void>(start: (sys: System) => Promise<T>) {
  return base
    .extend("launched", { scope: "file", auto: true }, ({ servers }, { onCleanup }) =>
      launchSystem(new System(servers.redisUrl, servers.adminDatabaseUrl), onCleanup, start),
    )
    .extend("sys", { scope: "file" }, ({ launched }) => launched.sys)
    .extend("started", { scope: "file" }, ({ launched }) => launched.started)
    .extend("member", { scope: "file" }, ({ sys }) =>
      sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" }),
    );
}
export { describeReadmeExamples } from "./readme-test";

/**
 * `systemTest` on a private primary with a streaming replica (`replicated`): the file's database
 * is made on the primary and followed by the replica. `start` gets both; `readUrl` is the
 * database's URL on the replica (what DATABASE_READ_URL names).
 */
export function replicatedSystemTest<T = void>(
  start: (sys: System, replicated: ReplicatedPostgres & { readUrl: string }) => Promise<T>,
) {
  return (
    base
      // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
      .extend("replicated", { scope: "file" }, async ({}, { onCleanup }) => {
        const replicated = await startReplicatedPostgres();
        onCleanup(() => replicated.stop());
        return replicated;
      })
      .extend("launched", { scope: "file", auto: true }, ({ servers, replicated }, { onCleanup }) =>
        launchSystem(new System(servers.redisUrl, replicated.primaryUrl), onCleanup, async (sys) => {
          await replicated.caughtUp();
          return start(sys, { ...replicated, readUrl: replicated.replicaUrlOf(sys.env().DATABASE_URL ?? "") });
        }),
      )
      .extend("sys", { scope: "file" }, ({ launched }) => launched.sys)
      .extend("started", { scope: "file" }, ({ launched }) => launched.started)
      .extend("replica", { scope: "file" }, ({ replicated }) => replicated)
  );
}

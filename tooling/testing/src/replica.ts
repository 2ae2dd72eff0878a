import pg from "pg";
import { PrivatePostgres } from "./postgres-server";
import { waitFor } from "./wait";

/**
 * A private primary and a streaming replica of it (the shared server allows no replication
 * connections, and tests never reconfigure it). Databases made on the primary (a test's own,
 * `CREATE DATABASE … TEMPLATE …`) appear on the replica through WAL.
 */
export interface ReplicatedPostgres {
  readonly primary: PrivatePostgres;
  readonly replica: PrivatePostgres;
  /** The primary's `postgres` database: the admin URL test databases are made from. */
  readonly primaryUrl: string;
  readonly replicaUrl: string;
  /** `url` (a database on the primary) on the replica: the same database name, the replica's port. */
  replicaUrlOf(url: string): string;
  /** Until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  /**
   * Pauses or resumes WAL replay on the replica: paused, it keeps answering queries with the data
   * it had, so a test tells its reads from the primary's by what they miss.
   */
  replay(what: "pause" | "resume"): Promise<void>;
  /** Stops both servers and deletes their files. */
  stop(): Promise<void>;
}

async function scalar(url: string, sql: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string | null }>(sql);
    return rows[0]?.v ?? null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startReplicatedPostgres(): Promise<ReplicatedPostgres> {
  const primary = await PrivatePostgres.create();
  let replica: PrivatePostgres;
  try {
    replica = await PrivatePostgres.replicaOf(primary);
  } catch (error) {
    await primary.destroy();
    throw error;
  }
  return {
    primary,
    replica,
    primaryUrl: primary.adminUrl,
    replicaUrl: replica.adminUrl,
    replicaUrlOf: (url) => replica.urlOf(decodeURIComponent(new URL(url).pathname.slice(1))),
    caughtUp: async () => {
      const target = await scalar(primary.adminUrl, "SELECT pg_current_wal_insert_lsn()::text AS v");
      await waitFor(
        `replica to replay ${String(target)}`,
        async () =>
          (await scalar(replica.adminUrl, `SELECT (pg_last_wal_replay_lsn() >= '${String(target)}')::text AS v`)) ===
          "true",
        { timeoutMs: 30_000, intervalMs: 50 },
      );
    },
    replay: async (what) => {
      await scalar(replica.adminUrl, `SELECT pg_wal_replay_${what}()::text AS v`);
    },
    stop: async () => {
      await replica.destroy();
      await primary.destroy();
    },
  };
}

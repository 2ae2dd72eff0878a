import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { testEnv } from "./env";
import { freePort } from "./free-port";
import { waitFor } from "./wait";

/** The newest PostgreSQL server binaries installed (Debian keeps them under /usr/lib/postgresql/<major>/bin). */
function binDir(): string {
  const majors = readdirSync("/usr/lib/postgresql")
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  const major = majors[0];
  if (major === undefined) throw new Error("no PostgreSQL server under /usr/lib/postgresql");
  return `/usr/lib/postgresql/${major}/bin`;
}

/** Postgres refuses to run as root: as root, run its binaries as the `postgres` OS user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"]).toString().trim());
  return { uid: id("-u"), gid: id("-g") };
}

async function run(command: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<void> {
  const child = spawn(command, args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...(user ?? {}),
    env: { PATH: testEnv.path, LC_ALL: "C" },
  });
  let output = "";
  child.stdout.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr.on("data", (b: Buffer) => (output += b.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${String(code)}:\n${output}`);
}

/**
 * A private PostgreSQL cluster (initdb in a temp dir, on a free port, trust auth) that a test may
 * stop and start: outage tests never touch the shared server.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly bin: string,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  private static async empty(): Promise<PrivatePostgres> {
    const dir = await mkdtemp(join(tmpdir(), "jobstream-pg-"));
    const user = serverUser();
    if (user) await chown(dir, user.uid, user.gid);
    return new PrivatePostgres(await freePort(), dir, binDir(), user);
  }

  /** A new cluster; initdb's trust rules also let 127.0.0.1 connect for replication (`replicaOf`). */
  static async create(): Promise<PrivatePostgres> {
    const server = await PrivatePostgres.empty();
    await run(
      `${server.bin}/initdb`,
      ["-D", server.dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
      server.user,
    );
    await server.start();
    return server;
  }

  /**
   * A streaming replica of `primary` (a private one: the shared server allows no replication
   * connections): `pg_basebackup -R` into a cluster of its own on another port, started and
   * answering read-only queries. It follows the primary, databases created later included.
   */
  static async replicaOf(primary: PrivatePostgres): Promise<PrivatePostgres> {
    const server = await PrivatePostgres.empty();
    await run(
      `${server.bin}/pg_basebackup`,
      ["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", server.dataDir, "-R", "-X", "stream"],
      server.user,
    );
    await server.start();
    return server;
  }

  private get dataDir(): string {
    return join(this.dir, "data");
  }

  /** `database` on this server. */
  urlOf(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** The `postgres` database: give it to `createTestDatabase` to get a migrated database of the test's own. */
  get adminUrl(): string {
    return this.urlOf("postgres");
  }

  /** Starts the server and waits until it accepts queries. */
  async start(): Promise<void> {
    // fsync off: the test restarts the server, it never needs to survive a machine crash.
    const options = [
      `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir}`,
      "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
    ].join(" ");
    await run(
      `${this.bin}/pg_ctl`,
      ["-D", this.dataDir, "-l", join(this.dir, "server.log"), "-o", options, "-w", "-t", "60", "start"],
      this.user,
    );
    await waitFor(
      `postgres on ${this.port}`,
      async () => {
        const client = new pg.Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 1000 });
        client.on("error", () => undefined);
        try {
          await client.connect();
          await client.query("SELECT 1");
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { timeoutMs: 30_000 },
    );
  }

  /**
   * Stops the server: `fast` ends every session as a restart would; `immediate` is a crash (recovery
   * runs at the next start).
   */
  async stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
    await run(`${this.bin}/pg_ctl`, ["-D", this.dataDir, "-m", mode, "-w", "-t", "60", "stop"], this.user).catch(
      (error: unknown) => {
        // Already stopped is fine.
        if (!/Is server running\?|PID file .* does not exist/.test((error as Error).message)) throw error;
      },
    );
  }

  async destroy(): Promise<void> {
    await this.stop("immediate");
    await rm(this.dir, { recursive: true, force: true });
  }
}

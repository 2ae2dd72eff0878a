// `pnpm start`: makes sure Postgres and Redis answer (starting local ones when none is
// configured), applies migrations, then runs the API and the worker roles as child processes,
// restarting one that dies (see supervisor.ts).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { migrate } from "@jobstream/db/migrate";
import { devBanner, devSignInToken, waitForApi } from "./dev-banner";
import { childEnv, loadEnv } from "./env";
import { dataDir, repoRoot } from "./paths";
import { answers, ensurePostgres } from "./postgres";
import { ensureRedis, ensureRedisCluster } from "./redis";
import { Supervisor } from "./supervisor";
import { waitUntil } from "./wait";

const WORKER_ROLES = ["work", "mirror", "housekeep"];

function splitRoles(value: string): { api: boolean; worker: string[] } {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (names.length === 0 || names.includes("all")) return { api: true, worker: WORKER_ROLES };
  return { api: names.includes("api"), worker: names.filter((n) => n !== "api") };
}

/** A development secret kept in .data/ so tokens survive restarts; production sets JWT_SECRET. */
async function devJwtSecret(): Promise<string> {
  const file = `${dataDir}/dev-jwt-secret`;
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const secret = randomBytes(32).toString("base64url");
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

function run(app: "api" | "worker", env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: `${repoRoot}apps/${app}`,
    env,
    stdio: "inherit",
  });
}

const env = loadEnv();
const roles = splitRoles(env.ROLES);
let postgres: Awaited<ReturnType<typeof ensurePostgres>> | undefined;
let redis: Awaited<ReturnType<typeof ensureRedis>> | undefined;
try {
  postgres = await ensurePostgres(env.DATABASE_URL, env.EMBEDDED_POSTGRES_PORT);
  if (env.REDIS_URL !== undefined && (env.REDIS_CLUSTER !== undefined || env.REDIS_CLUSTER_NODES !== undefined))
    throw new Error("REDIS_URL and REDIS_CLUSTER/REDIS_CLUSTER_NODES: set one of them, not both");
  redis =
    env.REDIS_CLUSTER !== undefined || env.REDIS_CLUSTER_NODES !== undefined
      ? await ensureRedisCluster(env.REDIS_CLUSTER === "local", env.REDIS_CLUSTER_NODES)
      : await ensureRedis(env.REDIS_URL);
  const url = postgres.url;
  let applied: readonly string[] = [];
  // Postgres may go away between answering and migrating: wait for it again, but a migration that
  // fails while Postgres answers is a real error.
  await waitUntil(
    "Postgres (to migrate)",
    async () => {
      try {
        ({ applied } = await migrate({
          connectionString: url,
          log: (m) => {
            console.log(`launcher: ${m}`);
          },
        }));
        return true;
      } catch (error) {
        if (await answers(url)) throw error;
        return false;
      }
    },
    (m) => {
      console.log(`launcher: ${m}`);
    },
  );
  if (applied.length === 0) console.log("launcher: database is up to date");
} catch (error) {
  console.error(`launcher: ${(error as Error).message}`);
  await postgres?.stop();
  await redis?.stop();
  process.exit(1);
}

// Development mode = no JWT_SECRET given: the launcher owns the secret, so it can sign the
// dashboard in for you, and the synthetic job types are on unless ENABLE_SYNTHETIC_JOBS says otherwise.
const devMode = env.JWT_SECRET === undefined || env.JWT_SECRET === "";
let jwtSecret = env.JWT_SECRET;
if (jwtSecret === undefined || jwtSecret === "") {
  jwtSecret = await devJwtSecret();
  console.warn("launcher: JWT_SECRET is not set; using a development secret from .data/dev-jwt-secret");
}

// The API serves the dashboard from apps/dashboard/dist: build it once if this checkout has not.
if (roles.api && !existsSync(`${repoRoot}apps/dashboard/dist/index.html`)) {
  console.log("launcher: building the dashboard (vite build)");
  const build = spawnSync(process.execPath, ["node_modules/vite/bin/vite.js", "build", "--logLevel", "warn"], {
    cwd: `${repoRoot}apps/dashboard`,
    stdio: "inherit",
  });
  if (build.status !== 0)
    console.error(
      "launcher: the dashboard did not build; the API answers 503 at /dashboard/ until `pnpm build` succeeds",
    );
}

const shared = {
  DATABASE_URL: postgres.url,
  ...redis.env,
  JWT_SECRET: jwtSecret,
  ...(devMode && env.ENABLE_SYNTHETIC_JOBS === undefined ? { ENABLE_SYNTHETIC_JOBS: "true" } : {}),
};
// A child that dies is restarted (with back-off) while the others keep running, as an
// orchestrator would; SIGTERM/SIGINT stop them all.
let fatalCode: number | undefined;
let stopping = false;
let stopAll: () => void = () => undefined;
// A child that refuses its configuration would only fail again: stop everything with its code.
const supervisor = new Supervisor({
  onFatal: (_name, code) => {
    fatalCode = code;
    stopAll();
  },
});
if (roles.api) supervisor.add("api", () => run("api", childEnv({ ...shared, ROLES: "api" })));
if (roles.worker.length > 0)
  supervisor.add("worker", () => run("worker", childEnv({ ...shared, ROLES: roles.worker.join(",") })));

if (devMode && roles.api) {
  const baseUrl = `http://localhost:${String(env.PORT)}`;
  const secret = jwtSecret;
  void waitForApi(baseUrl, () => stopping).then(async (ready) => {
    if (ready) console.log(devBanner(baseUrl, await devSignInToken(secret)));
  });
}

const stopped = new Promise<void>((resolve) => {
  let stopped: Promise<void> | undefined;
  // `on`, not `once`: a second signal (the process group and a terminal both signalling) must not
  // kill the launcher before its children are gone.
  stopAll = () => {
    stopping = true;
    stopped ??= supervisor.stop("SIGTERM").then(resolve);
  };
  process.on("SIGTERM", stopAll);
  process.on("SIGINT", stopAll);
});
await stopped;
await redis.stop();
await postgres.stop();
process.exit(fatalCode ?? 0);

// `pnpm start`: makes sure Postgres and Redis answer (starting local ones when none is
// configured), applies migrations, then runs the API and the worker roles as child processes.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { migrate } from "@jobstream/db/migrate";
import { devBanner, devSignInToken, waitForApi } from "./dev-banner";
import { childEnv, loadEnv } from "./env";
import { dataDir, repoRoot } from "./paths";
import { ensurePostgres } from "./postgres";
import { ensureRedis } from "./redis";

const WORKER_ROLES = ["work", "mirror", "housekeep"];

function splitRoles(value: string): { api: boolean; worker: string[] } {
  const names = value.split(",").map((s) => s.trim()).filter((s) => s !== "");
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
  redis = await ensureRedis(env.REDIS_URL);
  const { applied } = await migrate({ connectionString: postgres.url, log: (m) => { console.log(`launcher: ${m}`); } });
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
  const build = spawnSync(process.execPath, ["node_modules/vite/bin/vite.js", "build", "--logLevel", "warn"], { cwd: `${repoRoot}apps/dashboard`, stdio: "inherit" });
  if (build.status !== 0) console.error("launcher: the dashboard did not build; the API answers 503 at /dashboard/ until `pnpm build` succeeds");
}

const shared = {
  DATABASE_URL: postgres.url,
  REDIS_URL: redis.url,
  JWT_SECRET: jwtSecret,
  ...(devMode && env.ENABLE_SYNTHETIC_JOBS === undefined ? { ENABLE_SYNTHETIC_JOBS: "true" } : {}),
};
const children: ChildProcess[] = [];
if (roles.api) children.push(run("api", childEnv({ ...shared, ROLES: "api" })));
if (roles.worker.length > 0) children.push(run("worker", childEnv({ ...shared, ROLES: roles.worker.join(",") })));

let stopping = false;
let exitCode = 0;
if (devMode && roles.api) {
  const baseUrl = `http://localhost:${String(env.PORT)}`;
  const secret = jwtSecret;
  void waitForApi(baseUrl, () => stopping).then(async (ready) => {
    if (ready) console.log(devBanner(baseUrl, await devSignInToken(secret)));
  });
}
const stopAll = (signal: NodeJS.Signals) => {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
};
process.on("SIGTERM", () => { stopAll("SIGTERM"); });
process.on("SIGINT", () => { stopAll("SIGTERM"); });

await Promise.all(
  children.map(
    (child) =>
      new Promise<void>((resolve) => {
        child.once("exit", (code) => {
          if (code !== 0) exitCode = code ?? 1;
          // One process dying takes the others down: a half-running system is worse than none.
          if (!stopping) {
            console.error(`launcher: a process exited with code ${code ?? "null"}; stopping`);
            stopAll("SIGTERM");
          }
          resolve();
        });
      }),
  ),
);
await redis.stop();
await postgres.stop();
process.exit(exitCode);

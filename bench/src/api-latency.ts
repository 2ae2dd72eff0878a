import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { System } from "@jobstream/testing";
import { profileEnv } from "./profile";

export interface LatencyResult {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requestsPerSec: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly statusCodes: Record<string, number>;
}

export interface ApiLatencyResult {
  readonly rows: number;
  readonly seedSeconds: number;
  readonly job: LatencyResult;
  readonly active: LatencyResult;
}

const ORGS = 1000;
const USERS_PER_ORG = 10;

/** Seeds `rows` jobs in one SQL statement: 1,000 orgs × 10 users, a week of history, mixed statuses. */
async function seed(sys: System, rows: number): Promise<void> {
  await sys.query(
    `INSERT INTO jobs (id, org_id, user_id, type, subtype, name, queue, status, attempts, max_attempts, input, expires_at,
                       created_at, started_at, completed_at, duration_ms, progress_percent, total_items, processed_items)
     SELECT gen_random_uuid(),
            md5('org' || (g % $2))::uuid,
            md5('user' || (g % ($2 * $3)))::uuid,
            'synthetic', 'work', 'Import ' || g, 'synthetic',
            (CASE g % 20 WHEN 0 THEN 'running' WHEN 1 THEN 'failed' WHEN 2 THEN 'queued' ELSE 'completed' END)::job_status,
            1, 3, '{"items": 10}', now() + interval '30 days',
            now() - (g % 604800) * interval '1 second',
            now() - (g % 604800) * interval '1 second',
            CASE WHEN g % 20 IN (0, 2) THEN NULL ELSE now() - (g % 604800) * interval '1 second' + interval '2 seconds' END,
            2000, CASE WHEN g % 20 IN (0, 2) THEN 50 ELSE 100 END, 10, 10
     FROM generate_series(1, $1) AS g`,
    [rows, ORGS, USERS_PER_ORG],
  );
  await sys.query("ANALYZE jobs");
}

async function load(url: string, token: string, paths: readonly string[], seconds: number): Promise<LatencyResult> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] ?? "/healthz" }) }],
  });
  const stats: Record<string, { count?: number }> = result.statusCodeStats ?? {};
  const statusCodes = Object.fromEntries(Object.entries(stats).map(([code, stat]) => [code, stat.count ?? 0]));
  return { p50Ms: result.latency.p50, p99Ms: result.latency.p99, requestsPerSec: result.requests.average, errors: result.errors, non2xx: result.non2xx, statusCodes };
}

/**
 * `GET /v1/jobs/:id` and `GET /v1/jobs/active` under 50 concurrent clients (autocannon) against
 * a table of `rows` jobs.
 */
export async function runApiLatency(rows: number, seconds: number): Promise<ApiLatencyResult> {
  const sys = new System();
  await sys.init();
  try {
    const started = performance.now();
    await seed(sys, rows);
    const seedSeconds = (performance.now() - started) / 1000;
    // One token makes every request here: the per-token limit is lifted so it measures reads.
    await sys.startApi({ RATE_LIMIT_PER_MINUTE: "1000000", ...profileEnv() });
    const ids = await sys.query<{ id: string }>(`SELECT id::text FROM jobs TABLESAMPLE SYSTEM (1) LIMIT 10000`);
    const service = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const job = await load(sys.apiUrl, service, ids.map((r) => `/v1/jobs/${r.id}`), seconds);
    // Members of different orgs asking for their active jobs.
    const [member] = await sys.query<{ org: string; usr: string }>(`SELECT md5('org7')::uuid::text AS org, md5('user7')::uuid::text AS usr`);
    const memberToken = await sys.token({ sub: member?.usr ?? randomUUID(), org: member?.org ?? randomUUID(), role: "member" });
    const active = await load(sys.apiUrl, memberToken, ["/v1/jobs/active"], seconds);
    return { rows, seedSeconds, job, active };
  } finally {
    await sys.stop();
  }
}

import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { openSse } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

const org = randomUUID();
const user = randomUUID();
const JOBS = 500;
const INPUT_BYTES = 1_048_576;

/** Resident set size now and at its peak (VmHWM) of a process, in MB (Linux /proc). */
function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${String(pid)}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN);
  return { now: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}

/** `started`: the token of the member who owns 500 running jobs of ~1 MB input each. */
const it = systemTest(async (sys) => {
  await sys.startApi({ RATE_LIMIT_PER_MINUTE: "100000" });
  // 500 running jobs with ~1 MB input each, inserted directly (enqueueing 500 MB would only be slower).
  // Postgres compresses the repeated text on disk; the API would still have to read and send 1 MB per job.
  await sys.query(
    `INSERT INTO jobs (id, org_id, user_id, type, subtype, name, queue, status, max_attempts, input, output,
                       expires_at, created_at)
     SELECT gen_random_uuid(), $1, $2, 'synthetic', 'noop', 'big input ' || n, 'synthetic', 'running', 1,
            jsonb_build_object('blob', repeat(md5(n::text), $3 / 32)), jsonb_build_object('rows', n),
            now() + interval '7 days', now() - n * interval '1 millisecond'
     FROM generate_series(1, $4) AS n`,
    [org, user, INPUT_BYTES, JOBS],
  );
  return sys.token({ sub: user, org, role: "member" });
}).extend("get", { scope: "file" }, ({ sys, started: member }) => async (path: string) => {
  const res = await fetch(`${sys.apiUrl}${path}`, { headers: { authorization: `Bearer ${member}` } });
  const text = await res.text();
  return {
    status: res.status,
    bytes: Buffer.byteLength(text),
    body: JSON.parse(text) as { jobs: Record<string, unknown>[]; error?: { details: { path: string }[] } },
  };
});

describe("lean lists", () => {
  it("answers 500 jobs of 1 MB input each in well under 1 MB, and the API's peak memory stays flat", async ({
    sys,
    get,
  }) => {
    const pid = sys.api?.child.pid ?? 0;
    // Warm up first: the first Prisma query loads its query compiler, which is not what is measured.
    expect((await get("/v1/jobs?limit=1")).status).toBe(200);
    const before = rss(pid);
    let largest = 0;
    for (let i = 0; i < 5; i++) {
      const page = await get(`/v1/jobs?limit=${String(JOBS)}`);
      expect(page.status).toBe(200);
      expect(page.body.jobs).toHaveLength(JOBS);
      largest = Math.max(largest, page.bytes);
    }
    const after = rss(pid);
    console.log(
      `GET /v1/jobs?limit=500 over ${String(JOBS)} jobs x 1 MB input: ${String(largest)} bytes; ` +
        `API RSS before ${String(before.now)} MB (peak ${String(before.peak)} MB), ` +
        `after 5 calls ${String(after.now)} MB (peak ${String(after.peak)} MB)`,
    );
    expect(largest).toBeLessThan(1_048_576 / 2);
    for (const job of (await get(`/v1/jobs?limit=${String(JOBS)}`)).body.jobs) {
      expect(job).not.toHaveProperty("input");
      expect(job).not.toHaveProperty("output");
    }
    // Reading the inputs would need 500 MB; the summaries need next to nothing.
    expect(after.peak - before.peak).toBeLessThan(64);
    // For comparison (reported, not asserted): one page of 50 whole jobs, as every list page was before.
    const whole = await get("/v1/jobs?include=input,output&limit=50");
    const withData = rss(pid);
    console.log(
      `GET /v1/jobs?include=input,output&limit=50: ${String(whole.bytes)} bytes; ` +
        `API RSS now ${String(withData.now)} MB (peak ${String(withData.peak)} MB)`,
    );
  }, 60_000);

  it("adds input and output only when asked, with at most 50 jobs a page", async ({ get }) => {
    const tooMany = await get("/v1/jobs?include=input,output&limit=51");
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error?.details.map((d) => d.path)).toContain("limit");
    expect((await get("/v1/jobs?include=stack")).status).toBe(400);
    const withInput = await get("/v1/jobs?include=input&limit=3");
    expect(withInput.status).toBe(200);
    expect(withInput.body.jobs).toHaveLength(3);
    for (const job of withInput.body.jobs) {
      expect((job.input as { blob: string }).blob.length).toBe(INPUT_BYTES);
      expect(job).not.toHaveProperty("output");
    }
    const both = await get("/v1/jobs?include=input,output&limit=2");
    expect(both.body.jobs[0]?.output).toEqual({ rows: 1 });
    expect((await get("/v1/jobs?include=output")).body.jobs).toHaveLength(50);
  });

  it("sends summaries on /v1/jobs/active and /v1/stream, the whole job on its own stream", async ({
    sys,
    started: member,
    get,
  }) => {
    const active = await get("/v1/jobs/active?limit=500");
    expect(active.status).toBe(200);
    expect(active.body.jobs).toHaveLength(JOBS);
    expect(active.bytes).toBeLessThan(1_048_576 / 2);
    expect(active.body.jobs[0]).not.toHaveProperty("input");

    const auth = { authorization: `Bearer ${member}` };
    const all = await openSse(`${sys.apiUrl}/v1/stream`, auth);
    await all.waitFor("the active jobs", (events) => events.length >= 200, 30_000);
    all.close();
    for (const event of all.events) expect(event.data).not.toHaveProperty("input");

    const [first] = (await get("/v1/jobs?limit=1")).body.jobs;
    const one = await openSse(`${sys.apiUrl}/v1/jobs/${String(first?.id)}/stream`, auth);
    await one.waitFor("the job's state", (events) => events.length >= 1, 30_000);
    one.close();
    expect((one.events[0]?.data as { input: { blob: string } }).input.blob.length).toBe(INPUT_BYTES);
  });
});

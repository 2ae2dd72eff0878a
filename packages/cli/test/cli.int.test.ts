import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { System } from "@jobstream/testing";
import { cli, cliOnTerminal } from "./run-cli.ts";

const SYSTEM_ENV = { ENABLE_SYNTHETIC_JOBS: "true", RATE_LIMIT_PER_MINUTE: "100000" };
const sys = new System();
const tmp = mkdtempSync(join(tmpdir(), "jobstream-cli-"));
let env: Record<string, string>;

beforeAll(async () => {
  await sys.init();
  await sys.startApi(SYSTEM_ENV);
  await sys.startWorker("work,mirror,housekeep", SYSTEM_ENV);
  const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "admin" });
  env = { JOBSTREAM_URL: sys.apiUrl, JOBSTREAM_TOKEN: token };
}, 90_000);
afterAll(async () => {
  await sys.stop();
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

interface Line {
  id: string;
  status: string;
  progress: { percent: number };
  output: unknown;
}
const jsonLines = (stdout: string): Line[] =>
  stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Line);

describe("jobstream CLI", () => {
  it("enqueue prints the job id; watch, piped, prints one JSON line per change and exits 0 on completed", async () => {
    const enqueued = await cli(
      ["enqueue", "synthetic/work", "--input", '{"durationMs":20000,"steps":["a","b"],"output":"hi"}'],
      env,
    );
    expect(enqueued.stderr).toBe("");
    expect(enqueued.code).toBe(0);
    const id = enqueued.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const watched = await cli(["watch", id], env);
    expect(watched.code).toBe(0);
    const lines = jsonLines(watched.stdout);
    expect(lines.every((l) => l.id === id)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ status: "completed", output: { echo: "hi", items: 0 } });
    expect(lines.length).toBeGreaterThan(1);
  });

  it("watch on a terminal redraws one progress line with step and message, and exits 0 on completed", async () => {
    const id = (
      await cli(["enqueue", "synthetic", "--input", '{"durationMs":8000,"steps":["fetch","load"]}'], env)
    ).stdout.trim();
    const result = await cliOnTerminal(["watch", id], env);
    expect(result.code).toBe(0);
    const frames = result.stdout.split("\r\x1b[2K").slice(1);
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.some((f) => /^\[#*-+\] +\d+% running · (fetch|load)/.test(f))).toBe(true);
    expect(frames.at(-1)).toMatch(/^\[#+\] 100% completed/);
    expect(result.stdout).not.toContain('{"id"'); // no JSON lines on a terminal
  });

  it("enqueue --json prints the whole view; input from a file and from stdin", async () => {
    const file = join(tmp, "input.json");
    writeFileSync(file, JSON.stringify({ items: 3 }));
    const fromFile = await cli(
      ["enqueue", "synthetic/noop", "--input", `@${file}`, "--json", "--name", "from file"],
      env,
    );
    expect(fromFile.code).toBe(0);
    const view = JSON.parse(fromFile.stdout) as { id: string; name: string; subtype: string; input: unknown };
    expect(view).toMatchObject({ name: "from file", subtype: "noop", input: { items: 3 } });

    const fromStdin = await cli(["enqueue", "synthetic", "--input", "-", "--json"], env, '{"items": 2}');
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout)).toMatchObject({ subtype: "work", input: { items: 2 } });

    const got = await cli(["get", view.id], env);
    expect(got.code).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ id: view.id, name: "from file" });
  });

  it("enqueue --wait exits 1 when the job fails", async () => {
    const result = await cli(["enqueue", "synthetic", "--input", '{"failAttempts":5}', "--wait"], env);
    expect(result.code).toBe(1);
    const lines = jsonLines(result.stdout);
    expect(lines.at(-1)?.status).toBe("failed");
    expect(result.stderr.trim()).toBe(lines[0]?.id); // the id, for the record, without polluting stdout
  });

  it("watch exits 2 when the job is cancelled; cancel and retry print id and status", async () => {
    const id = (
      await cli(["enqueue", "synthetic", "--input", '{"durationMs":30000,"steps":["x","y"]}'], env)
    ).stdout.trim();
    const watching = cli(["watch", id], env);
    await sys.waitForStatus(env.JOBSTREAM_TOKEN ?? "", id, "running");
    const cancelled = await cli(["cancel", id], env);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^${id} (running|cancelled)\\n$`));
    const watched = await watching;
    expect(watched.code).toBe(2);
    expect(jsonLines(watched.stdout).at(-1)?.status).toBe("cancelled");

    const retried = await cli(["retry", id, "--json"], env);
    expect(retried.code).toBe(0);
    // A free worker may take the reopened job before the answer is read back.
    const view = JSON.parse(retried.stdout) as { id: string; status: string };
    expect(view.id).toBe(id);
    expect(["queued", "running"]).toContain(view.status);
    await cli(["cancel", id], env);
  });

  it("list prints JSON lines when piped, filtered by group, type and status, up to --limit", async () => {
    const group = `g-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await cli(["enqueue", "synthetic/noop", "--input", "{}", "--group", group], env)).stdout.trim());
    }
    const all = await cli(["list", "--group", group, "--type", "synthetic"], env);
    expect(all.code).toBe(0);
    expect(new Set(jsonLines(all.stdout).map((j) => j.id))).toEqual(new Set(ids));
    const two = await cli(["list", "--group", group, "--limit", "2"], env);
    expect(jsonLines(two.stdout)).toHaveLength(2);
    for (const id of ids) await sys.waitForStatus(env.JOBSTREAM_TOKEN ?? "", id, "completed");
    const none = await cli(["list", "--group", group, "--status", "failed,cancelled"], env);
    expect(none.stdout).toBe("");
    const done = await cli(["list", "--group", group, "--status", "completed"], env);
    expect(jsonLines(done.stdout)).toHaveLength(3);
    const bad = await cli(["list", "--status", "exploded"], env);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--status "exploded" is not a status/);
  });

  it("list --metadata finds the jobs whose metadata contains the object", async () => {
    const token = env.JOBSTREAM_TOKEN ?? "";
    const tag = randomUUID();
    const tagged = await sys.enqueue(token, { type: "synthetic", subtype: "noop", input: {}, metadata: { tag, n: 1 } });
    await sys.enqueue(token, { type: "synthetic", subtype: "noop", input: {}, metadata: { tag: "other" } });
    const found = await cli(["list", "--metadata", JSON.stringify({ tag })], env);
    expect(found.code).toBe(0);
    expect(jsonLines(found.stdout).map((j) => j.id)).toEqual([tagged.id]);
    const bad = await cli(["list", "--metadata", "[1]"], env);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--metadata must be a JSON object/);
  });

  it("queues lists, pauses and resumes a queue with an operator token; refuses other roles", async () => {
    const operator = { ...env, JOBSTREAM_TOKEN: await sys.token({ role: "operator" }) };
    const paused = await cli(["queues", "pause", "synthetic"], operator);
    expect(paused.code).toBe(0);
    expect(jsonLines(paused.stdout)[0]).toMatchObject({ name: "synthetic", paused: true });
    const listed = await cli(["queues", "list"], operator);
    const queues = listed.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { name: string; paused: boolean });
    expect(queues.find((q) => q.name === "synthetic")).toMatchObject({ paused: true });
    const resumed = await cli(["queues", "resume", "synthetic"], operator);
    expect(jsonLines(resumed.stdout)[0]).toMatchObject({ name: "synthetic", paused: false });
    const refused = await cli(["queues", "pause", "synthetic"], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/forbidden/);
    expect((await cli(["queues", "stop"], operator)).code).toBe(64);
  });

  it("types lists every type/subtype", async () => {
    const result = await cli(["types"], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^synthetic\/work \(default\) {2}\S/m);
    expect(result.stdout).toMatch(/^synthetic\/noop {2}\S/m);
  });

  it("a 400 prints the API's code and field paths to stderr and exits non-zero", async () => {
    const result = await cli(["enqueue", "synthetic/work", "--input", '{"durationMs":"slow","steps":[""]}'], env);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: validation_failed \(HTTP 400\): /);
    expect(result.stderr).toMatch(/^ {2}input\.durationMs: /m);
    expect(result.stderr).toMatch(/^ {2}input\.steps\.0: /m);
  });

  it("usage mistakes and a missing token are explained", async () => {
    const noToken = await cli(["get", randomUUID()], { JOBSTREAM_URL: sys.apiUrl });
    expect(noToken.code).toBe(64);
    expect(noToken.stderr).toMatch(/JOBSTREAM_TOKEN is not set/);
    const badJson = await cli(["enqueue", "synthetic", "--input", "{nope"], env);
    expect(badJson.code).toBe(64);
    expect(badJson.stderr).toMatch(/--input is not JSON/);
    const missing = await cli(["get", randomUUID()], env);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^error: not_found \(HTTP 404\)/);
  });
});

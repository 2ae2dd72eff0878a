import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";

const it = systemTest(async (sys) => {
  await sys.startApi();
  return sys.startWorker("work,mirror,housekeep");
});

describe("job logs", () => {
  it("write a JSON line per outcome from a per-job logger (duration, attempt X of Y), no payloads or tokens", async ({
    sys,
    member,
    started: worker,
  }) => {
    const secret = `s3cret-${randomUUID()}`;
    const job = await sys.enqueue(member, {
      type: "synthetic",
      subtype: "work",
      maxAttempts: 2,
      input: { failAttempts: 1, output: { secret } },
    });
    await sys.waitForStatus(member, job.id, "completed");
    const retried = await worker.waitForLog("attempt failed, retrying (attempt 1 of 2)");
    const completed = await worker.waitForLog("job completed (attempt 2 of 2)");
    for (const line of [retried, completed]) {
      expect(line).toMatchObject({ jobId: job.id, type: "synthetic", subtype: "work", service: "worker" });
      expect(typeof line.durationMs).toBe("number");
    }
    expect(retried).toMatchObject({ attempt: 1, maxAttempts: 2, outcome: "retrying", level: 40 });
    expect(completed).toMatchObject({ attempt: 2, maxAttempts: 2, outcome: "completed", level: 30 });
    const output = worker.output() + (sys.api?.output() ?? "");
    // The job's input and output (which carry the secret) and the caller's token never reach a log.
    expect(output).not.toContain(secret);
    expect(output).not.toContain(member);
    expect(output).not.toContain(job.accessToken);
    // Every line is JSON.
    const lines = worker
      .output()
      .split("\n")
      .filter((l) => l.trim() !== "");
    expect(lines.filter((l) => !l.startsWith("{"))).toEqual([]);
  });
});

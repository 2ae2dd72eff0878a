import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { restartDelayMs, Supervisor } from "./supervisor";

/** A real child process running `code` under node. */
const node = (code: string) => () => spawn(process.execPath, ["-e", code], { stdio: "ignore" });

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("restartDelayMs", () => {
  it("doubles from the minimum up to the maximum", () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((n) => restartDelayMs(n, 1000, 30_000))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });
});

describe("Supervisor", () => {
  it("restarts a child that dies, with back-off, and leaves the others running", async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({ minDelayMs: 50, maxDelayMs: 200, log: (m) => lines.push(m) });
    let crashes = 0;
    let steady = 0;
    supervisor.add("crashy", () => {
      crashes++;
      return node("process.exit(3)")();
    });
    supervisor.add("steady", () => {
      steady++;
      return node("setInterval(() => {}, 1000)")();
    });
    await until(() => crashes >= 4);
    expect(steady).toBe(1);
    expect(lines[0]).toBe("crashy exited (code 3); restarting it in 0.1 s");
    expect(lines[1]).toBe("crashy exited (code 3); restarting it in 0.1 s");
    expect(lines.some((l) => l.endsWith("restarting it in 0.2 s"))).toBe(true);
    await supervisor.stop();
  });

  it("stops every child on stop() and restarts none", async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({ minDelayMs: 10, log: (m) => lines.push(m) });
    const children: ReturnType<ReturnType<typeof node>>[] = [];
    for (const name of ["api", "worker"]) {
      supervisor.add(name, () => {
        const child = node(
          "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 50)); setInterval(() => {}, 1000)",
        )();
        children.push(child);
        return child;
      });
    }
    await until(() => children.every((c) => c.pid !== undefined));
    await new Promise((r) => setTimeout(r, 200)); // let the children install their handlers
    await supervisor.stop("SIGTERM");
    expect(children.map((c) => c.exitCode)).toEqual([0, 0]);
    await new Promise((r) => setTimeout(r, 100));
    expect(children).toHaveLength(2);
    expect(lines).toEqual([]);
  });

  it("does not restart a child that refused its configuration, and reports it", async () => {
    const lines: string[] = [];
    const fatal: [string, number][] = [];
    const supervisor = new Supervisor({
      minDelayMs: 20,
      log: (m) => lines.push(m),
      onFatal: (name, code) => fatal.push([name, code]),
    });
    let starts = 0;
    supervisor.add("misconfigured", () => {
      starts++;
      return node("process.exit(78)")();
    });
    await until(() => fatal.length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(starts).toBe(1);
    expect(fatal).toEqual([["misconfigured", 78]]);
    expect(lines).toEqual(["misconfigured refused its configuration (exit 78); not restarting it"]);
    await supervisor.stop();
  });
});

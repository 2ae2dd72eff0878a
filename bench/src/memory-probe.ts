import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "@jobstream/testing";

const preload = fileURLToPath(new URL("./memory-probe.cjs", import.meta.url));

/**
 * The heap a benchmarked process still holds after a full garbage collection (see memory-probe.cjs):
 * unlike its peak RSS, it does not depend on when V8 last collected, so it shows whether memory is
 * held per job.
 */
export class MemoryProbe {
  private readonly dir = mkdtempSync(join(tmpdir(), "jobstream-memory-"));

  /** The environment that loads the probe, with the NODE_OPTIONS given (a profiler's) kept. */
  env(nodeOptions: string | undefined): Record<string, string> {
    const options = [nodeOptions, "--expose-gc", `--require ${preload}`].filter((o) => o !== undefined).join(" ");
    return { NODE_OPTIONS: options, MEMORY_PROBE_DIR: this.dir };
  }

  /** Heap in use after a full collection, in MB; null when the process is gone or does not answer. */
  async retainedMb(pid: number | undefined): Promise<number | null> {
    if (pid === undefined) return null;
    try {
      process.kill(pid, "SIGUSR2");
      const { heapUsed } = await waitFor(
        "the memory probe",
        () => JSON.parse(readFileSync(join(this.dir, `memory-${String(pid)}.json`), "utf8")) as { heapUsed: number },
        { timeoutMs: 10_000, intervalMs: 50 },
      );
      return Math.round(heapUsed / 1024 / 1024);
    } catch {
      return null;
    }
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

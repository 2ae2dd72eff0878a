import cluster, { type Worker } from "node:cluster";
import { once } from "node:events";
import { onShutdown, type Logger } from "@jobstream/runtime";
import { answerClusterMetrics } from "./cluster-metrics";

export interface SuperviseOptions {
  /** How many API processes serve the port. */
  readonly processes: number;
  readonly logger: Logger;
  /** Each worker's own shutdown bound (SHUTDOWN_TIMEOUT_MS); the primary waits a little longer. */
  readonly shutdownTimeoutMs: number;
}

/** A worker that ends within this long of its start counts as failing to start (restarts back off). */
const EARLY_EXIT_MS = 10_000;
const MAX_RESTART_DELAY_MS = 10_000;

/** The next restart's delay after `failures` early exits in a row: none for the first, then doubling. */
export function restartDelayMs(failures: number): number {
  return failures <= 1 ? 0 : Math.min(MAX_RESTART_DELAY_MS, 250 * 2 ** (failures - 2));
}

/**
 * The primary of `API_PROCESSES` > 1 (node:cluster): it serves nothing itself. It forks the
 * workers, which share the port (the primary hands each connection to one of them in turn),
 * starts another when one dies (backing off while they die at start), answers the workers'
 * `/metrics` with every worker's metrics, and on SIGTERM/SIGINT lets every worker drain and
 * exits 0 once all have exited 0.
 */
export function superviseWorkers(options: SuperviseOptions): void {
  const { logger } = options;
  let stopping = false;
  let failures = 0;
  const startedAt = new Map<Worker, number>();

  const fork = () => {
    if (stopping) return;
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    logger.info({ workerPid: worker.process.pid }, "api process started");
  };
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) return;
    failures = lived < EARLY_EXIT_MS ? failures + 1 : 0;
    const delayMs = restartDelayMs(failures);
    logger.error({ workerPid: worker.process.pid, code, signal, delayMs }, "api process exited; starting another");
    setTimeout(fork, delayMs);
  });
  answerClusterMetrics();
  for (let i = 0; i < options.processes; i++) fork();

  onShutdown({
    logger,
    timeoutMs: options.shutdownTimeoutMs + 2000,
    steps: [
      {
        name: "api processes",
        run: async () => {
          stopping = true;
          const workers = Object.values(cluster.workers ?? {}).filter(
            (w): w is Worker => w !== undefined && !w.isDead(),
          );
          const codes = workers.map(async (worker) => {
            const exited = once(worker, "exit") as Promise<[number | null, string | null]>;
            worker.process.kill("SIGTERM");
            return exited;
          });
          // Past their own bound a worker has exited 1; one that still hangs is killed.
          const timer = setTimeout(() => {
            for (const worker of workers) if (!worker.isDead()) worker.process.kill("SIGKILL");
          }, options.shutdownTimeoutMs + 1000);
          const results = await Promise.all(codes);
          clearTimeout(timer);
          const failed = results.filter(([code]) => code !== 0).length;
          if (failed > 0) throw new Error(`${failed} of ${results.length} api processes did not stop cleanly`);
        },
      },
    ],
  });
}

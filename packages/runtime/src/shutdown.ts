import type { Logger } from "pino";

export interface ShutdownOptions {
  readonly logger: Logger;
  /** Upper bound for all `steps`; past it the process exits 1. */
  readonly timeoutMs: number;
  /** Run in order: stop intake first, release connections last. */
  readonly steps: readonly { readonly name: string; readonly run: () => Promise<unknown> }[];
}

/**
 * Installs SIGTERM/SIGINT handlers that run the shutdown steps once and exit 0, or exit 1 when
 * a step fails or the bound passes. Returns the function so tests and callers can trigger it.
 */
export function onShutdown(options: ShutdownOptions): (signal: string) => Promise<void> {
  let running: Promise<void> | undefined;
  const shutdown = (signal: string): Promise<void> => {
    running ??= (async () => {
      options.logger.info({ signal }, "shutting down");
      const timer = setTimeout(() => {
        options.logger.error({ timeoutMs: options.timeoutMs }, "shutdown timed out");
        process.exit(1);
      }, options.timeoutMs + 1000);
      timer.unref();
      let failed = false;
      for (const step of options.steps) {
        try {
          await step.run();
        } catch (error) {
          failed = true;
          options.logger.error({ err: error, step: step.name }, "shutdown step failed");
        }
      }
      options.logger.info("stopped");
      process.exit(failed ? 1 : 0);
    })();
    return running;
  };
  // `on`, not `once`: a second signal (a process group and its supervisor both signalling) must
  // not fall back to the default action and kill the process half-way through its shutdown.
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return shutdown;
}

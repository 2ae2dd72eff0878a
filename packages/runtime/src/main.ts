import type { Server } from "node:http";
import { EnvError } from "./env-schema";

/**
 * Exit code of a process whose configuration is invalid (sysexits' EX_CONFIG): restarting it cannot
 * help, so supervisors (the launcher) stop instead of restarting it in a loop.
 */
export const EXIT_CONFIG = 78;

/**
 * Runs a process's start-up; a bad environment prints its message (no stack) and exits
 * `EXIT_CONFIG`; anything else is reported as a failed start and exits 1.
 */
export function runMain(service: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof EnvError) {
      console.error(`${service}: ${error.message}`);
      process.exit(EXIT_CONFIG);
    }
    console.error(`${service}: failed to start:`, error);
    process.exit(1);
  });
}

/** Stops accepting connections and resolves once the open ones are done (idle ones close now). */
export function closeHttpServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

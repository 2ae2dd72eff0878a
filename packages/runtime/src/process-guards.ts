import type { Logger } from "pino";
import { isOutageError } from "./outage-errors";

/** Identical messages are logged at most once per this long. */
const REPEAT_MS = 60_000;

/**
 * Keeps a stray promise rejection (a command failing while Redis or Postgres is out, say) from
 * ending the process: it is logged, once per distinct message per minute, and the process carries
 * on — each role retries on its own. An uncaught exception that is an outage error is treated the
 * same; any other one leaves the process in an unknown state, so it is logged and the process exits
 * 1 for its supervisor (`pnpm start`, Docker) to restart.
 */
export function guardProcess(logger: Logger): void {
  const lastLogged = new Map<string, number>();
  const once = (message: string): boolean => {
    const now = Date.now();
    if (now - (lastLogged.get(message) ?? 0) < REPEAT_MS) return false;
    if (lastLogged.size > 1000) lastLogged.clear();
    lastLogged.set(message, now);
    return true;
  };
  const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
  process.on("unhandledRejection", (reason) => {
    const message = messageOf(reason);
    if (!once(message)) return;
    if (isOutageError(reason)) logger.warn({ err: message }, "unhandled rejection during an outage");
    else logger.error({ err: reason }, "unhandled rejection");
  });
  process.on("uncaughtException", (error) => {
    if (isOutageError(error)) {
      if (once(error.message)) logger.warn({ err: error.message }, "uncaught error during an outage");
      return;
    }
    logger.fatal({ err: error }, "uncaught exception; exiting");
    process.exit(1);
  });
}

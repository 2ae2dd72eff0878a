import { isRedisUnavailable } from "./redis";

/** Postgres error codes that mean "the server is going away or not there yet", not "your query is wrong". */
const POSTGRES_UNAVAILABLE_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "53300",
]);

const POSTGRES_UNAVAILABLE_TEXT = new RegExp(
  [
    "ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection terminated|connection timeout|terminating connection",
    "the database system is (starting up|shutting down|in recovery mode)",
    "Can't reach database server|Client has encountered a connection error|Connection ended unexpectedly",
    "server closed the connection|timeout exceeded when trying to connect",
  ].join("|"),
  "i",
);

function codeOf(error: Error): unknown {
  const withCode = error as Error & { code?: unknown; cause?: unknown };
  if (withCode.code !== undefined) return withCode.code;
  const cause = withCode.cause as { code?: unknown; originalCode?: unknown } | undefined;
  return cause?.originalCode ?? cause?.code;
}

/** True for pg / Prisma errors that mean Postgres is unreachable right now (an outage, not a bug). */
export function isPostgresUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  if (typeof code === "string" && POSTGRES_UNAVAILABLE_CODES.has(code)) return true;
  if (POSTGRES_UNAVAILABLE_TEXT.test(error.message)) return true;
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error && cause !== error && POSTGRES_UNAVAILABLE_TEXT.test(cause.message);
}

/**
 * True when `error` means Redis or Postgres is out (an outage, not a bug). Which one is not always
 * knowable from the text (both say ECONNREFUSED): a probe tells.
 */
export function isOutageError(error: unknown): boolean {
  return isRedisUnavailable(error) || isPostgresUnavailable(error);
}

import { pino, type Logger } from "pino";

export type { Logger } from "pino";

/** Paths never written to logs: credentials, and job payloads that may hold customer data. */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-job-token"]',
  "token",
  "accessToken",
  "password",
  "secret",
  "input",
  "output",
  "*.input",
  "*.output",
  "*.token",
  "*.accessToken",
];

export interface LoggerOptions {
  /** Process name shown as `service`. */
  readonly service: string;
  /** @defaultValue "info" */
  readonly level?: string;
}

/** Structured JSON logs (pino) with secrets and payloads redacted. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    name: options.service,
    level: options.level ?? "info",
    base: { service: options.service, pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

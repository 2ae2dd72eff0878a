import type { ErrorRequestHandler, RequestHandler } from "express";
import { isPostgresUnavailable, isRedisUnavailable, type Logger, type OutageReporter } from "@jobstream/runtime";
import { JobActionConflict } from "@jobstream/queue";
import { ApiError, errorBody, type ErrorCode } from "./errors";

interface BodyParserError {
  type: string;
  status?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === "object" && error !== null && typeof (error as { type?: unknown }).type === "string";
}

/** Errors raised by express.json() before a route runs, mapped to documented codes. */
function fromBodyParser(error: BodyParserError): ApiError | null {
  switch (error.type) {
    case "entity.parse.failed":
      return new ApiError("validation_failed", "request body is not valid JSON", [
        { path: "", message: "invalid JSON" },
      ]);
    case "entity.too.large":
      return new ApiError("payload_too_large", "request body is too large");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new ApiError("unsupported_media_type", "unsupported body encoding");
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
      return new ApiError("validation_failed", "request body could not be read");
    default:
      return null;
  }
}

/**
 * The documented answer an error maps to, or null for an unexpected one (answered 500). An
 * outage is noted on the watch: answered 503 and logged once by the watch, not once per request.
 */
export function knownError(error: unknown, outages: OutageReporter): ApiError | null {
  if (!(error instanceof ApiError || error instanceof JobActionConflict)) outages.noteError(error);
  return error instanceof ApiError
    ? error
    : error instanceof JobActionConflict
      ? new ApiError("conflict", error.message)
      : isRedisUnavailable(error)
        ? new ApiError("unavailable", "the queue is unreachable; try again shortly")
        : isPostgresUnavailable(error)
          ? new ApiError("unavailable", "the database is unreachable; try again shortly")
          : isBodyParserError(error)
            ? fromBodyParser(error)
            : error instanceof URIError
              ? // Express could not percent-decode a path parameter (e.g. a lone surrogate's bytes).
                new ApiError("validation_failed", "a path parameter is not valid percent-encoded UTF-8", [
                  { path: "", message: "bad percent-encoding" },
                ])
              : null;
}

/** The one place errors become HTTP answers (with {@link knownError}). Never sends a stack or a database message. */
export function errorMiddleware(logger: Logger, outages: OutageReporter): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = knownError(error, outages);
    if (res.headersSent) {
      logger.warn({ err: error, path: req.path }, "error after the answer started");
      res.end();
      return;
    }
    if (known) {
      if (known.headers) res.set(known.headers);
      res.status(known.status).json(errorBody(known.code, known.message, known.details));
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, "unhandled error");
    const code: ErrorCode = "internal";
    res.status(500).json(errorBody(code, "internal error"));
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json(errorBody("not_found", `no route for ${req.method} ${req.path}`));
};

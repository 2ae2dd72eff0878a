import type { ErrorBody, ErrorCode, FieldIssue } from "./generated/types.ts";

type Details = FieldIssue[] | Record<string, unknown> | undefined;

/**
 * An error answer of the Jobstream API (`{"error": {"code", "message", "details"}}`), or a request
 * that never got one (`code` "network"). Check with `instanceof` or `err.name`, which is stable.
 */
export class JobstreamError extends Error {
  override name = "JobstreamError";
  /** The API's error code; `network` when no answer arrived, `invalid_response` for a non-API answer. */
  readonly code: ErrorCode | "network" | "invalid_response";
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  /** Field issues of a validation error, or the object some codes carry (e.g. a quota's limit). */
  readonly details: Details;

  constructor(
    code: ErrorCode | "network" | "invalid_response",
    message: string,
    options: { status?: number; details?: Details; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? 0;
    this.details = options.details;
  }

  /** Field issues (`path`: dot-joined, e.g. `input.items`) when the API named any. */
  get fieldIssues(): FieldIssue[] {
    return Array.isArray(this.details) ? this.details : [];
  }
}

/** 400 `validation_failed`: the request (often the job's input) was refused; see `fieldIssues`. */
export class ValidationError extends JobstreamError {
  override name = "ValidationError";
}
/** 401: the token is missing, invalid or expired. */
export class UnauthorizedError extends JobstreamError {
  override name = "UnauthorizedError";
}
/** 403: the token may not do this. */
export class ForbiddenError extends JobstreamError {
  override name = "ForbiddenError";
}
/** 404: no such job (or one the token may not see). */
export class NotFoundError extends JobstreamError {
  override name = "NotFoundError";
}
/** 409: the job's state does not allow this, or an idempotency key clashes. */
export class ConflictError extends JobstreamError {
  override name = "ConflictError";
}
/** 429 `rate_limited`: too many requests; `retryAfterMs` says when to try again, if the API said. */
export class RateLimitedError extends JobstreamError {
  override name = "RateLimitedError";
  retryAfterMs: number | null = null;
}
/** 429 `quota_exceeded`: a per-org or per-type limit was reached; `details` names it. */
export class QuotaExceededError extends RateLimitedError {
  override name = "QuotaExceededError";
}
/** 503 or a request that got no answer (connection refused or dropped, after the retries). */
export class UnavailableError extends JobstreamError {
  override name = "UnavailableError";
}

const classByCode: Record<ErrorCode, typeof JobstreamError> = {
  validation_failed: ValidationError,
  flow_crosses_slots: ValidationError,
  unauthorized: UnauthorizedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  conflict: ConflictError,
  idempotency_key_in_use: ConflictError,
  idempotency_key_reused: ConflictError,
  payload_too_large: ValidationError,
  unsupported_media_type: ValidationError,
  rate_limited: RateLimitedError,
  quota_exceeded: QuotaExceededError,
  internal: JobstreamError,
  unavailable: UnavailableError,
};

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = value.error;
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string";
}

/** The named error for an API answer with a non-2xx status (`body` as parsed JSON, or text). */
export function errorFromResponse(status: number, body: unknown, retryAfterMs: number | null = null): JobstreamError {
  if (isErrorBody(body) && Object.hasOwn(classByCode, body.error.code)) {
    const { code, message, details } = body.error;
    const error = new classByCode[code](code, message, { status, details });
    if (error instanceof RateLimitedError) error.retryAfterMs = retryAfterMs;
    return error;
  }
  const text = typeof body === "string" ? body.slice(0, 200) : JSON.stringify(body).slice(0, 200);
  if (status === 503) return new UnavailableError("unavailable", `HTTP 503: ${text}`, { status });
  return new JobstreamError("invalid_response", `HTTP ${String(status)} without an API error body: ${text}`, {
    status,
  });
}

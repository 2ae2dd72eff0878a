import { describe, expect, it } from "vitest";
import {
  ConflictError,
  errorFromResponse,
  JobstreamError,
  NotFoundError,
  QuotaExceededError,
  RateLimitedError,
  UnavailableError,
  ValidationError,
} from "./errors.ts";
import { errorStatus, type ErrorCode } from "./generated/types.ts";

const body = (code: string, details?: unknown) => ({ error: { code, message: `${code} happened`, details } });

describe("errorFromResponse", () => {
  it("maps every contract error code to a JobstreamError with that code and status", () => {
    for (const [code, status] of Object.entries(errorStatus) as [ErrorCode, number][]) {
      const error = errorFromResponse(status, body(code));
      expect(error, code).toBeInstanceOf(JobstreamError);
      expect(error.code).toBe(code);
      expect(error.status).toBe(status);
      expect(error.message).toBe(`${code} happened`);
    }
  });

  it("names the class after the kind of failure", () => {
    const cases: [string, number, new (...args: never[]) => JobstreamError, string][] = [
      ["validation_failed", 400, ValidationError, "ValidationError"],
      ["not_found", 404, NotFoundError, "NotFoundError"],
      ["idempotency_key_reused", 409, ConflictError, "ConflictError"],
      ["rate_limited", 429, RateLimitedError, "RateLimitedError"],
      ["quota_exceeded", 429, QuotaExceededError, "QuotaExceededError"],
      ["unavailable", 503, UnavailableError, "UnavailableError"],
    ];
    for (const [code, status, cls, name] of cases) {
      const error = errorFromResponse(status, body(code));
      expect(error).toBeInstanceOf(cls);
      expect(error.name).toBe(name);
    }
    expect(errorFromResponse(429, body("quota_exceeded"))).toBeInstanceOf(RateLimitedError);
  });

  it("keeps field issues and object details", () => {
    const issues = [{ path: "input.items", message: "Expected number" }];
    const validation = errorFromResponse(400, body("validation_failed", issues));
    expect(validation.fieldIssues).toEqual(issues);
    const quota = errorFromResponse(429, body("quota_exceeded", { limit: 10 }), 2000) as QuotaExceededError;
    expect(quota.details).toEqual({ limit: 10 });
    expect(quota.fieldIssues).toEqual([]);
    expect(quota.retryAfterMs).toBe(2000);
  });

  it("reports answers that are not API errors (a proxy's HTML page) without guessing", () => {
    const error = errorFromResponse(502, "<html>Bad gateway</html>");
    expect(error.code).toBe("invalid_response");
    expect(error.status).toBe(502);
    expect(errorFromResponse(503, "down")).toBeInstanceOf(UnavailableError);
  });
});

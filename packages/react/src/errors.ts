import { JobstreamError } from "@jobstream/client";

export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Whether retrying (by stream or by polling) cannot change the answer: signed out, forbidden, gone,
 * or a bad request. Rate limits, unavailability and network errors pass.
 */
export function isFinalRefusal(error: unknown): boolean {
  return (
    error instanceof JobstreamError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

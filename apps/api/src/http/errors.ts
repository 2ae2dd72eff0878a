import { errorStatus, type ErrorCode } from "@jobstream/contract";

export { errorStatus, type ErrorCode };

/** An error the API answers as-is; anything else becomes a generic 500. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra answer headers (a quota's Retry-After). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): { error: Record<string, unknown> } {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

import type { Transport } from "./transport.ts";

/** The two kinds of call every resource makes, so the resend rule is decided in one place per kind. */
export interface Calls {
  /** A GET: resent after a network error (reading twice is harmless). */
  read: (path: string, query?: Record<string, string | number | undefined>, signal?: AbortSignal) => Promise<unknown>;
  /**
   * A change. `resend`: whether a lost answer may be sent again; false where a second send could
   * act twice (a create without an idempotency key, a cancel), true where it lands the same.
   */
  send: (
    method: string,
    path: string,
    options: { body?: unknown; resend: boolean; signal?: AbortSignal | undefined },
  ) => Promise<unknown>;
}

export function callsOf(transport: Transport): Calls {
  return {
    read: (path, query, signal) => transport.request("GET", path, { query, retryNetworkErrors: true, signal }),
    send: (method, path, { body, resend, signal }) =>
      transport.request(method, path, { body, retryNetworkErrors: resend, signal }),
  };
}

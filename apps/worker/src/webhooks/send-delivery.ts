import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Webhook } from "standardwebhooks";
import { refusedAddressReason, refusedUrlReason } from "@jobstream/runtime";

/** An address the SSRF guard refused: never sent, recorded as a failed attempt. */
export class RefusedAddressError extends Error {
  override readonly name = "RefusedAddressError";
}

export interface SendOptions {
  /** Each attempt is abandoned after this long (connection, headers and all). */
  readonly timeoutMs: number;
  /** `WEBHOOK_ALLOW_PRIVATE`. */
  readonly allowPrivate: boolean;
}

export interface SendResult {
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

/**
 * Resolves like dns.lookup, then refuses the lot if any address is refused. The socket connects to
 * the address checked here, so a name that resolves to a public address now and a private one a
 * moment later (DNS rebinding) cannot slip through between the check and the connection.
 */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      const refused =
        allowPrivate || error ? undefined : addresses.map((a) => refusedAddressReason(a.address)).find(Boolean);
      const first = error ? undefined : addresses[0];
      if (error) callback(error, "", 0);
      else if (refused) callback(new RefusedAddressError(`${hostname}: ${refused}`), "", 0);
      else if (first === undefined) callback(new Error(`${hostname} has no address`), "", 0);
      // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily).
      else if (options.all === true) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

/**
 * One attempt: POSTs the body signed the Standard Webhooks way (the delivery id as `webhook-id`,
 * the same on every attempt). Redirects are not followed (node's http never does): a 3xx is a
 * failure like any other non-2xx. Never throws: every outcome is a result to record.
 */
export async function sendDelivery(
  delivery: { readonly id: string; readonly url: string; readonly secret: string; readonly body: string },
  options: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const refused = options.allowPrivate ? null : refusedUrlReason(delivery.url);
  if (refused !== null) return { statusCode: null, latencyMs: 0, error: `refused: ${refused}` };
  const now = new Date();
  const headers = {
    "content-type": "application/json",
    "user-agent": "jobstream-webhooks/1",
    "webhook-id": delivery.id,
    "webhook-timestamp": Math.floor(now.getTime() / 1000).toString(),
    "webhook-signature": new Webhook(delivery.secret).sign(delivery.id, now, delivery.body),
  };
  const url = new URL(delivery.url);
  const client = url.protocol === "https:" ? https : http;
  return new Promise<SendResult>((resolve) => {
    const request = client.request(url, {
      method: "POST",
      headers,
      lookup: guardedLookup(options.allowPrivate),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    request.on("response", (response) => {
      const statusCode = response.statusCode ?? null;
      // The body is not read; a failure while draining it (the timeout, a reset) changes nothing now.
      response.on("error", () => undefined);
      response.resume();
      const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
      const location = response.headers.location;
      const error = ok
        ? null
        : statusCode !== null && statusCode >= 300 && statusCode < 400
          ? `redirect not followed (HTTP ${statusCode}${location === undefined ? "" : ` to ${location}`})`
          : `HTTP ${statusCode}`;
      resolve({ statusCode, latencyMs: latency(), error });
    });
    request.on("error", (error) => {
      const message =
        error.name === "AbortError" || error.name === "TimeoutError"
          ? `timed out after ${options.timeoutMs} ms`
          : error instanceof RefusedAddressError
            ? `refused: ${error.message}`
            : `${error.name}: ${error.message}`;
      resolve({ statusCode: null, latencyMs: latency(), error: message });
    });
    request.end(delivery.body);
  });
}

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import etag from "etag";
import type { Logger, OutageReporter } from "@jobstream/runtime";
import type { BearerVerifier } from "../auth/authenticate";
import { knownError } from "../http/error-middleware";
import { ApiError, errorBody } from "../http/errors";
import { callerKey, SECURITY_HEADERS, tokenLimitHeaders } from "../http/hardening";
import type { SharedRateStore } from "../http/shared-rate-store";
import type { ReadRouting } from "../replica/read-routing";
import { readJobView } from "./read-route";
import { jobIdParamsSchema } from "./schemas";

/** Decides and answers a request, or hands it on (to Express). */
export type ServerHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HotReadDeps {
  readonly verifier: BearerVerifier;
  /** The per-token limiter's store, and its limit. */
  readonly budget: { readonly store: SharedRateStore; readonly perMinute: number };
  readonly reads: ReadRouting;
  readonly logger: Logger;
  readonly outages: OutageReporter;
  readonly metrics: {
    readonly timeRequest: () => (labels: { route: string; method: string; status: string }) => void;
    readonly leanAnswers: { inc(labels: { route: string }): void };
  };
  /** CORS_ORIGINS: with some configured, requests that carry an Origin go through Express (its CORS middleware). */
  readonly corsOrigins: readonly string[];
}

const ROUTE = "/v1/jobs/:id";
const PATH = /^\/v1\/jobs\/([^/?]+)$/;

/**
 * `GET /v1/jobs/:id`, the request frontends poll, answered without Express: the Express chain
 * cost this read about three times the CPU of the SQL and JSON it needs (bench/README.md, API).
 * It runs the chain's steps for this one case, with the same functions: the token verifier's
 * cache, the per-token budget in the shared store and its headers, the security headers, read
 * routing, `readJobView` (access rule and view), the error mapping and the request metrics.
 *
 * It takes only a request it can finish the same way: a GET of exactly that path (no query) with
 * no body and no conditional headers, a bearer token already verified by this process, and a
 * budget window open here with room left. Everything else — a first or refused token, a spent or
 * unknown budget, an invalid id, job tokens, CORS, tracing — goes to `next` (Express) untouched.
 */
export function hotJobRead(deps: HotReadDeps, next: ServerHandler): ServerHandler {
  const cors = deps.corsOrigins.length > 0;
  return (req, res) => {
    const h = req.headers;
    const raw = req.method === "GET" ? PATH.exec(req.url ?? "")?.[1] : undefined;
    const auth = h.authorization;
    if (
      raw === undefined ||
      auth === undefined ||
      h["if-none-match"] !== undefined ||
      h["if-modified-since"] !== undefined ||
      (h["content-length"] !== undefined && h["content-length"] !== "0") ||
      h["transfer-encoding"] !== undefined ||
      (cors && h.origin !== undefined)
    ) {
      next(req, res);
      return;
    }
    const id = jobIdParamsSchema.safeParse({ id: raw });
    const principal = deps.verifier.cached(auth);
    if (!id.success || principal?.kind !== "token") {
      next(req, res);
      return;
    }
    const key = callerKey(principal);
    const spent = deps.budget.store.hitWithin(key, deps.budget.perMinute);
    if (spent === undefined) {
      next(req, res);
      return;
    }
    const end = deps.metrics.timeRequest();
    deps.metrics.leanAnswers.inc({ route: ROUTE });
    const limitHeaders = tokenLimitHeaders(deps.budget.perMinute, key, spent.used, spent.resetAt);
    const answer = (status: number, body: unknown, extra?: Readonly<Record<string, string>>): void => {
      const json = Buffer.from(JSON.stringify(body));
      const headers: OutgoingHttpHeaders = {
        ...limitHeaders,
        ...extra,
        "content-type": "application/json; charset=utf-8",
        "content-length": json.length,
        etag: etag(json, { weak: true }),
      };
      for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
      res.writeHead(status, headers).end(json);
      end({ route: ROUTE, method: "GET", status: String(status) });
    };
    const consistency = h["x-jobstream-consistency"];
    readJobView(
      deps.reads,
      { principal, consistency: typeof consistency === "string" ? consistency : undefined },
      id.data.id,
    )
      .then(
        (view) => {
          if (view !== null) {
            answer(200, view);
            return;
          }
          const notFound = new ApiError("not_found", "no such job");
          answer(notFound.status, errorBody(notFound.code, notFound.message));
        },
        (error: unknown) => {
          const known = knownError(error, deps.outages);
          if (known !== null) {
            answer(known.status, errorBody(known.code, known.message, known.details), known.headers);
            return;
          }
          deps.logger.error({ err: error, method: req.method, path: ROUTE }, "unhandled error");
          answer(500, errorBody("internal", "internal error"));
        },
      )
      .catch((error: unknown) => {
        // Only writing the answer can fail here (a socket already gone): nothing more to say to it.
        deps.logger.warn({ err: error, path: ROUTE }, "error after the answer started");
        res.destroy();
      });
  };
}

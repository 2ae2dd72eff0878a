import type { RequestHandler } from "express";
import { ApiError } from "./errors";
import { findUnsafeText } from "./unsafe-text";

/** Deepest nesting a request body may have; deeper bodies are refused before any schema runs. */
export const MAX_JSON_DEPTH = 32;

/** How deeply objects and arrays nest in `value` (a scalar is 0); stops counting past `MAX_JSON_DEPTH`. */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined) break;
    const [node, depth] = next;
    if (node === null || typeof node !== "object") continue;
    if (depth > max) max = depth;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return max;
}

/** JSON only: a body in another content type is 415, a body nested too deep is 400. */
export const jsonBodyGuard: RequestHandler = (req, _res, next) => {
  if (req.method === "POST" || req.method === "PUT" || req.method === "PATCH") {
    const hasBody = (req.get("content-length") ?? "0") !== "0" || req.get("transfer-encoding") !== undefined;
    if (hasBody && !req.is("application/json")) {
      throw new ApiError("unsupported_media_type", "send the body as application/json");
    }
    if (depthOf(req.body) > MAX_JSON_DEPTH) {
      throw new ApiError("validation_failed", `body is nested deeper than ${MAX_JSON_DEPTH} levels`, [
        { path: "", message: "too deep" },
      ]);
    }
  }
  next();
};

/**
 * One rule for every route: a NUL byte or a lone surrogate in any body or query string (value or
 * key) is a 400 naming the field, before any route runs. Route parameters are checked by
 * `parseOr400`, which applies the same rule.
 */
export const textGuard: RequestHandler = (req, _res, next) => {
  const issues = [...findUnsafeText(req.query), ...findUnsafeText(req.body)];
  if (issues.length > 0) throw new ApiError("validation_failed", "request holds text that cannot be stored", issues);
  next();
};

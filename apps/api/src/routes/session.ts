import { stringifySetCookie } from "cookie";
import { Router, type Request } from "express";
import { decodeJwt } from "jose";
import { principalOf } from "../auth/authenticate";
import type { Session } from "@jobstream/contract";
import { ApiError } from "../http/errors";

/** The httpOnly cookie that lets a signed-in browser open bull-board by following a link. */
export const SESSION_COOKIE = "jobstream_session";
/** Sent only to bull-board: the v1 API never reads the cookie, so it cannot be used for CSRF there. */
export const SESSION_COOKIE_PATH = "/admin";

export { sessionSchema } from "@jobstream/contract";

function bearerOf(req: Request): string {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "");
  if (!match?.[1]) throw new ApiError("unauthorized", "a bearer token is required");
  return match[1];
}

/**
 * A browser-session cookie (no Max-Age: it goes when the browser closes, and the token inside
 * stops working when it expires). `Secure` when the request came over HTTPS, directly or through
 * a TLS-terminating proxy: the forwarded header is not trusted for anything else, and it can only
 * make the cookie stricter.
 */
function cookie(req: Request, value: string, clear = false): string {
  const https = req.secure || req.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  return stringifySetCookie({
    name: SESSION_COOKIE,
    value,
    path: SESSION_COOKIE_PATH,
    httpOnly: true,
    sameSite: "strict",
    secure: https,
    ...(clear ? { maxAge: 0 } : {}),
  });
}

/**
 * `GET /v1/session` says who the token is; `POST` does the same and sets the bull-board cookie;
 * `DELETE` clears it and needs no token, so an expired one can sign out.
 */
export function sessionRouter(): { signOut: Router; session: Router } {
  const describe = (req: Request) => {
    const principal = principalOf(req);
    if (principal.kind !== "token") throw new ApiError("unauthorized", "a bearer token is required");
    // authenticate() verified the token already; only its expiry is read here.
    const exp = decodeJwt(bearerOf(req)).exp ?? 0;
    const view: Session = {
      userId: principal.userId,
      orgId: principal.orgId,
      role: principal.role,
      expiresAt: new Date(exp * 1000).toISOString(),
    };
    return { view };
  };

  const session = Router();
  session.get("/v1/session", (req, res) => {
    res.json(describe(req).view);
  });
  session.post("/v1/session", (req, res) => {
    res.setHeader("set-cookie", cookie(req, bearerOf(req)));
    res.json(describe(req).view);
  });

  const signOut = Router();
  signOut.delete("/v1/session", (req, res) => {
    res.setHeader("set-cookie", cookie(req, "", true));
    res.status(204).end();
  });
  return { signOut, session };
}

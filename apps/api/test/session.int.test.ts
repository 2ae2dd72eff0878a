import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";

const dist = mkdtempSync(path.join(tmpdir(), "jobstream-dashboard-"));
/** An API serving a built dashboard from `dist`; `started` is a second API whose dashboard folder does not exist. */
const it = systemTest(async (sys) => {
  mkdirSync(path.join(dist, "assets"));
  writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>dash</title>");
  writeFileSync(path.join(dist, "assets", "app-1234.js"), "console.log(1)");
  await sys.startApi({ DASHBOARD_DIR: dist });
  return sys.startExtraApi({ DASHBOARD_DIR: path.join(dist, "missing") });
});
it.afterAll(() => {
  rmSync(dist, { recursive: true, force: true });
});

const cookieOf = (res: Response) => res.headers.get("set-cookie") ?? "";
const sessionCookie = (res: Response) => /jobstream_session=([^;]*)/.exec(cookieOf(res))?.[1] ?? "";

describe("dashboard sign-in session", () => {
  it("describes the token and sets an httpOnly SameSite=Strict browser-session cookie scoped to bull-board", async ({
    sys,
  }) => {
    const org = randomUUID();
    const sub = randomUUID();
    const token = await sys.token({ org, sub, role: "admin" });
    const res = await fetch(`${sys.apiUrl}/v1/session`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ userId: sub, orgId: org, role: "admin" });
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin(;|$)/);
    expect(cookie).not.toMatch(/Max-Age|Expires/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect(sessionCookie(res)).toBe(token);
    // Behind a TLS-terminating proxy the cookie is Secure.
    const proxied = await fetch(`${sys.apiUrl}/v1/session`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "x-forwarded-proto": "https" },
    });
    expect(cookieOf(proxied)).toMatch(/; Secure/i);
    const who = await sys.request("GET", "/v1/session", { token });
    expect(who).toMatchObject({ status: 200, body: { userId: sub, orgId: org, role: "admin" } });
  });

  it("lets the cookie open bull-board for operators only, and never the v1 API", async ({ sys }) => {
    const admin = await sys.token({ role: "operator" });
    const member = await sys.token({ role: "member" });
    const orgAdmin = await sys.token({ role: "admin" });
    const adminCookie = `jobstream_session=${admin}`;
    const memberCookie = `jobstream_session=${member}`;
    expect((await fetch(`${sys.apiUrl}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${sys.apiUrl}/admin/queues`, { headers: { cookie: memberCookie } })).status).toBe(403);
    expect(
      (await fetch(`${sys.apiUrl}/admin/queues`, { headers: { cookie: `jobstream_session=${orgAdmin}` } })).status,
    ).toBe(403);
    const page = await fetch(`${sys.apiUrl}/admin/queues`, { headers: { cookie: adminCookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("__UI_CONFIG__");
    const queues = await fetch(`${sys.apiUrl}/admin/queues/api/queues`, { headers: { cookie: adminCookie } });
    expect(queues.status).toBe(200);
    expect(JSON.stringify(await queues.json())).toContain("synthetic");
    // A forged or expired cookie is refused like a forged bearer token.
    expect(
      (await fetch(`${sys.apiUrl}/admin/queues`, { headers: { cookie: `jobstream_session=${admin}x` } })).status,
    ).toBe(401);
    // The v1 API reads bearer tokens only: a cookie alone is not a sign-in there (no CSRF surface).
    const v1 = await fetch(`${sys.apiUrl}/v1/jobs`, { headers: { cookie: adminCookie } });
    expect(v1.status).toBe(401);
  });

  it("refuses sign-in without a valid bearer token and signs out without one", async ({ sys }) => {
    expect((await sys.request("POST", "/v1/session")).status).toBe(401);
    expect((await sys.request("POST", "/v1/session", { token: "not-a-jwt" })).body).toMatchObject({
      error: { code: "unauthorized" },
    });
    const out = await fetch(`${sys.apiUrl}/v1/session`, { method: "DELETE" });
    expect(out.status).toBe(204);
    expect(cookieOf(out)).toMatch(/jobstream_session=;/);
    expect(cookieOf(out)).toMatch(/Max-Age=0/i);
  });
});

describe("dashboard assets", () => {
  it("redirects / to the dashboard and answers index.html for its client-side routes", async ({ sys }) => {
    const root = await fetch(`${sys.apiUrl}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/dashboard/");
    for (const route of ["/dashboard", "/dashboard/", `/dashboard/jobs/${randomUUID()}`, "/dashboard/stats"]) {
      const res = await fetch(`${sys.apiUrl}${route}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain("<title>dash</title>");
    }
  });

  it("serves hashed assets with a long cache and answers 404 JSON for missing ones", async ({ sys }) => {
    const asset = await fetch(`${sys.apiUrl}/dashboard/assets/app-1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    const missing = await fetch(`${sys.apiUrl}/dashboard/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
    const traversal = await fetch(`${sys.apiUrl}/dashboard/assets/..%2f..%2fpackage.json`);
    expect(traversal.status).toBe(404);
  });

  it("answers 503 with the fix when the dashboard is not built", async ({ started: unbuilt }) => {
    const res = await fetch(`${unbuilt.url}/dashboard/`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: { code: "unavailable", message: expect.stringContaining("pnpm build") as unknown },
    });
  });
});

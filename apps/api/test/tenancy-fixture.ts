import { randomUUID } from "node:crypto";
import { signToken } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

// Who reads, who acts and who gets 401/403/404, split by surface over tenancy-*.int.test.ts; each
// file starts its own system and only the parts (tenants, extra API processes) it asks for.

export interface Tenant {
  org: string;
  owner: string;
  job: { id: string; accessToken: string };
  cancelled: { id: string; accessToken: string };
}

/** Signs a bearer token with the system's secret unless told another. */
export type Sign = (
  claims: Parameters<typeof signToken>[1],
  expiresIn?: number,
  secret?: string,
) => Promise<Record<string, string>>;

/** Two tenants: `t`, whose data is at stake, `o` another; `as(who)` gives a kind of caller's headers. */
export interface Pair {
  t: Tenant;
  o: Tenant;
  as: (who: Who) => Promise<Record<string, string>>;
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}
interface ErrorAnswer {
  error: { code: string; message: string; details?: unknown };
}

export const it = systemTest(async (sys) => {
  await sys.startApi({ RATE_LIMIT_PER_MINUTE: "100000" });
  // Runs the jobs bull-board retries, promotes and resumes; the housekeeper's reconciler proves a
  // job cleaned in bull-board stays cancelled.
  await sys.startWorker("work,mirror,housekeep");
})
  /** Extra API processes on the same database and Redis: quotas on, or synthetic types off. */
  .extend("apis", { scope: "file" }, async ({ sys }) => {
    const extra = (env: Record<string, string>) =>
      sys.startExtraApi({ RATE_LIMIT_PER_MINUTE: "100000", ...env }).then((a) => a.url);
    const [unfinished, rate, items, production] = await Promise.all([
      extra({ ORG_MAX_UNFINISHED_JOBS: "3" }),
      extra({ ORG_ENQUEUE_PER_MINUTE: "5" }),
      extra({ ORG_ITEMS_PER_MINUTE: "100" }),
      extra({ ENABLE_SYNTHETIC_JOBS: "false" }),
    ]);
    return { unfinished, rate, items, production };
  })
  /** Three orgs, each with a member who owns a delayed job and a cancelled one. */
  .extend("tenants", { scope: "file" }, async ({ sys }) => {
    const tenants: Tenant[] = [];
    for (let i = 0; i < 3; i++) {
      const org = randomUUID();
      const owner = randomUUID();
      const token = await sys.token({ sub: owner, org, role: "member" });
      const job = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000, name: `tenant ${i}` });
      const cancelled = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 });
      const res = await sys.request("POST", `/v1/jobs/${cancelled.id}/cancel`, { token });
      if (res.status !== 200) throw new Error(`cancel answered ${res.status}`);
      tenants.push({ org, owner, job, cancelled });
    }
    return tenants;
  })
  .extend(
    "sign",
    { scope: "file" },
    ({ sys }): Sign =>
      async (claims, expiresIn, secret = sys.secret) => ({
        authorization: `Bearer ${await signToken(secret, claims, expiresIn)}`,
      }),
  )
  /** One request to the API (or another process at `base`), its body parsed when it is JSON. */
  .extend(
    "call",
    { scope: "file" },
    ({ sys }) =>
      async <T = Record<string, unknown>>(
        method: string,
        path: string,
        headers: Record<string, string>,
        body?: unknown,
        base = sys.apiUrl,
      ): Promise<Answer<T>> => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        return { status: res.status, body: parsed as T, headers: res.headers };
      },
  )
  /** `t`, whose data is at stake, `o` another tenant, and `as(who)`: the headers of a kind of caller. */
  .extend("pair", { scope: "file" }, ({ tenants, sign }): Pair => {
    const { t, o } = tenant(tenants);
    return { t, o, as: (who: Who) => headersOf(sign, who, t, o) };
  });

// ---------------------------------------------------------------------------------------------
// Who may enqueue what, idempotency keys, quotas and bull-board, for every kind of caller. `t` is
// the tenant whose data is at stake (its member `t.owner` made the jobs), `o` another tenant.

export type Who =
  | "member"
  | "other member"
  | "admin"
  | "other org's admin"
  | "operator"
  | "service"
  | "job token"
  | "anonymous";
export const everyone: Who[] = [
  "member",
  "other member",
  "admin",
  "other org's admin",
  "operator",
  "service",
  "job token",
  "anonymous",
];

export function headersOf(sign: Sign, who: Who, t: Tenant, o: Tenant): Promise<Record<string, string>> {
  switch (who) {
    case "member":
      return sign({ sub: t.owner, org: t.org, role: "member" });
    case "other member":
      return sign({ sub: randomUUID(), org: t.org, role: "member" });
    case "admin":
      return sign({ sub: randomUUID(), org: t.org, role: "admin" });
    case "other org's admin":
      return sign({ sub: randomUUID(), org: o.org, role: "admin" });
    case "operator":
      return sign({ sub: randomUUID(), org: randomUUID(), role: "operator" });
    case "service":
      return sign({ sub: randomUUID(), org: randomUUID(), role: "service" });
    case "job token":
      return Promise.resolve({ "x-job-token": t.job.accessToken });
    case "anonymous":
      return Promise.resolve({});
  }
}

/**
 * The answers for acting on t's job (its member owns it) per caller: `ok` for those who may read it,
 * `refused` for bearer callers who may not (404: the id stays unknowable), 401 without a bearer token.
 */
export function jobReaders(ok: number, refused = 404): Record<Who, number> {
  return {
    member: ok,
    "other member": refused,
    admin: ok,
    "other org's admin": refused,
    operator: ok,
    service: ok,
    "job token": 401,
    anonymous: 401,
  };
}

/** The first two tenants: `t` whose data is at stake, `o` another. */
export const tenant = (tenants: Tenant[]) => {
  const [t, o] = tenants;
  if (!t || !o) throw new Error("fixture");
  return { t, o };
};
export const errorOf = (a: Answer<unknown>) => (a.body as ErrorAnswer).error;
export const fieldsOf = (a: Answer<unknown>) => ((errorOf(a).details ?? []) as { path: string }[]).map((d) => d.path);
export function csvOf(rows: number) {
  return {
    csv: `k\n${Array.from({ length: rows }, (_, i) => String(i)).join("\n")}\n`,
    columns: [{ name: "k", type: "string" }],
    keyColumn: "k",
  };
}

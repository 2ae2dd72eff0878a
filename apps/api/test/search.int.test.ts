import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";

const org = randomUUID();

interface Page {
  jobs: { id: string; name: string; metadata: unknown }[];
  nextCursor: string | null;
}

/** An admin of `org` and its jobs (delayed an hour: nothing runs them), named after their metadata. */
const it = systemTest(async (sys) => {
  await sys.startApi();
  const admin = await sys.token({ sub: randomUUID(), org, role: "admin" });
  const enqueue = async (name: string, metadata: Record<string, unknown>, type = "synthetic") =>
    (await sys.enqueue(admin, { type, input: {}, name, metadata, delayMs: 3_600_000 })).id;
  const ids = {
    shopA1: await enqueue("Import products.csv", { shop: "a", run: { kind: "nightly", n: 1 } }),
    shopA2: await enqueue("Import prices.csv", { shop: "a", run: { kind: "manual" } }),
    shopA3: await enqueue("Export products", { shop: "a", tags: ["x", "y"] }),
    shopB: await enqueue("Import products.csv", { shop: "b" }),
  };
  return { admin, ids };
});

const url = (query: Record<string, string>) => `/v1/jobs?${new URLSearchParams(query).toString()}`;

describe("GET /v1/jobs?metadata= and ?q=", () => {
  it("finds jobs whose metadata contains the object, nested values and array members too", async ({
    sys,
    started: { admin, ids },
  }) => {
    const find = async (metadata: unknown) => {
      const res = await sys.request<Page>("GET", url({ metadata: JSON.stringify(metadata) }), { token: admin });
      expect(res.status).toBe(200);
      return res.body.jobs.map((j) => j.id).sort();
    };
    expect(await find({ shop: "a" })).toEqual([ids.shopA1, ids.shopA2, ids.shopA3].sort());
    expect(await find({ run: { kind: "nightly" } })).toEqual([ids.shopA1]);
    expect(await find({ tags: ["y"] })).toEqual([ids.shopA3]);
    expect(await find({ shop: "c" })).toEqual([]);
    // A value is compared as JSON: the number 1 is not the string "1".
    expect(await find({ run: { n: "1" } })).toEqual([]);
  });

  it("combines with the other filters, name search and cursor pages", async ({ sys, started: { admin, ids } }) => {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const query = { metadata: '{"shop":"a"}', q: "PRODUCTS", status: "delayed", type: "synthetic", limit: "1" };
      const res = await sys.request<Page>("GET", url(cursor === undefined ? query : { ...query, cursor }), {
        token: admin,
      });
      expect(res.status).toBe(200);
      pages.push(res.body.jobs.map((j) => j.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor !== undefined);
    // Newest first, one per page.
    expect(pages).toEqual([[ids.shopA3], [ids.shopA1]]);
    const none = await sys.request<Page>("GET", url({ metadata: '{"shop":"a"}', status: "running" }), {
      token: admin,
    });
    expect(none.body.jobs).toEqual([]);
    const byName = await sys.request<Page>("GET", url({ q: "ort pro" }), { token: admin });
    expect(byName.body.jobs.map((j) => j.id).sort()).toEqual([ids.shopA1, ids.shopA3, ids.shopB].sort());
  });

  it.for([
    ["not JSON", "{shop: a}", "not JSON"],
    ["a JSON array", '["a"]', "must be a JSON object"],
    ["a JSON string", '"a"', "must be a JSON object"],
    ["null", "null", "must be a JSON object"],
    ["nested too deep", '{"a":{"b":{"c":{"d":{}}}}}', "nested deeper than 4 levels"],
    ["too long", JSON.stringify({ a: "x".repeat(2000) }), "Too big"],
    ["given twice", ["{}", "{}"], "expected string"],
  ] as const)("refuses metadata that is %s: 400 on `metadata`", async ([, value, message], { sys, started }) => {
    const query = new URLSearchParams();
    for (const v of typeof value === "string" ? [value] : value) query.append("metadata", v);
    const res = await sys.request<{ error: { code: string; details: { path: string; message: string }[] } }>(
      "GET",
      `/v1/jobs?${query.toString()}`,
      { token: started.admin },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details.map((d) => d.path)).toEqual(["metadata"]);
    expect(res.body.error.details[0]?.message).toContain(message);
  });
});

import { randomUUID } from "node:crypto";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { System } from "@jobstream/testing";

const sys = new System();

beforeAll(async () => {
  await sys.init();
  await sys.startApi();
}, 60_000);
afterAll(async () => {
  await sys.stop();
}, 60_000);

interface Document {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }>>;
}

describe("OpenAPI", () => {
  it("serves a valid OpenAPI 3.1 document", async () => {
    const res = await sys.request<Document>("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const result = await new Validator().validate(res.body as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const path of ["/v1/jobs", "/v1/jobs/batch", "/v1/jobs/{id}", "/v1/jobs/{id}/items", "/v1/jobs/{id}/events", "/v1/jobs/{id}/stream", "/v1/stream", "/v1/jobs/active", "/v1/job-types", "/v1/stats/queues"]) {
      expect(Object.keys(res.body.paths), path).toContain(path);
    }
  });

  it("documents enqueue examples the server accepts", async () => {
    const doc = (await sys.request<Document>("GET", "/openapi.json")).body;
    const examples = doc.paths["/v1/jobs"]?.post?.requestBody?.content["application/json"]?.examples ?? {};
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(4);
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    for (const [name, example] of Object.entries(examples)) {
      const res = await sys.request("POST", "/v1/jobs", { token, body: example.value });
      expect(res.status, name).toBe(202);
    }
  });

  it("renders the docs page", async () => {
    const res = await fetch(`${sys.apiUrl}/docs/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("swagger-ui");
  });
});

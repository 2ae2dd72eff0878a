import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb, type Db } from "@jobstream/db";
import { createLogger, createRedis, type Redis } from "@jobstream/runtime";
import { testDatabase, testEnv, type TestDatabase } from "@jobstream/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

let database: TestDatabase;
let db: Db;
let redis: Redis;
let server: Server;
let base: string;

beforeAll(async () => {
  database = await testDatabase();
  db = createDb({ connectionString: database.url, max: 2 });
  redis = createRedis({ url: testEnv.redisUrl });
  const app = createApp({ db, redis, logger: createLogger({ service: "api-test", level: "silent" }), bodyLimit: "1kb" });
  server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
});

afterAll(async () => {
  server.close();
  await redis.quit();
  await db.$disconnect();
  await database.drop();
});

async function post(path: string, body: string, contentType = "application/json") {
  const res = await fetch(`${base}${path}`, { method: "POST", headers: { "content-type": contentType }, body });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

describe("error shape", () => {
  it("answers unknown routes with not_found", async () => {
    const res = await fetch(`${base}/v1/nothing`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "no route for GET /v1/nothing" } });
  });

  it("answers malformed JSON with validation_failed", async () => {
    const res = await post("/v1/jobs", "{not json");
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("validation_failed");
  });

  it("answers an oversized body with payload_too_large", async () => {
    const res = await post("/v1/jobs", JSON.stringify({ x: "y".repeat(4000) }));
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe("payload_too_large");
  });

  it("never leaks a stack", async () => {
    const res = await fetch(`${base}/v1/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body: "[" });
    const text = await res.text();
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
    expect(res.status).toBe(400);
  });
});

import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { System, waitFor } from "@jobstream/testing";
import { createClient, ForbiddenError, ValidationError, type JobstreamClient } from "../src/index.ts";
import { SYSTEM_ENV, WORKER_ROLES } from "./system-env.ts";

const sys = new System();
const env = { ...SYSTEM_ENV, WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_MS: "50" };
const received: string[] = [];
const receiver = createServer((req, res) => {
  received.push(String(req.headers["webhook-id"]));
  res.writeHead(204).end();
});
let client: JobstreamClient;

beforeAll(async () => {
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
  await sys.init();
  await sys.startApi(env);
  await sys.startWorker(WORKER_ROLES, env);
  client = createClient({ baseUrl: sys.apiUrl, token: await sys.token({ org: randomUUID(), role: "admin" }) });
}, 90_000);
afterAll(async () => {
  await sys.stop();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
}, 60_000);

describe("client.webhooks", () => {
  it("creates, lists, updates, rotates, follows deliveries, redelivers and deletes", async () => {
    const url = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}/in`;
    const hook = await client.webhooks.create({ url, events: ["job.completed"] });
    expect(hook.secret).toMatch(/^whsec_/);
    expect((await client.webhooks.list()).webhooks.map((w) => w.id)).toEqual([hook.id]);
    expect(await client.webhooks.get(hook.id)).not.toHaveProperty("secret");
    expect((await client.webhooks.update(hook.id, { types: ["synthetic"] })).types).toEqual(["synthetic"]);
    expect((await client.webhooks.rotateSecret(hook.id)).secret).not.toBe(hook.secret);

    const { job } = await client.jobs.enqueue({ type: "synthetic", subtype: "noop", input: {} });
    const [delivery] = await waitFor("a delivery", async () => {
      const page = await client.webhooks.deliveries(hook.id);
      return page.deliveries[0]?.status === "succeeded" ? page.deliveries : undefined;
    });
    expect([delivery?.jobId, delivery?.attemptLog.length]).toEqual([job.id, 1]);
    if (!delivery) throw new Error("no delivery");
    expect((await client.webhooks.redeliver(hook.id, delivery.id)).status).toBe("pending");
    await waitFor("the redelivery", () => received.filter((id) => id === delivery.id).length === 2 || undefined);

    await client.webhooks.delete(hook.id);
    expect((await client.webhooks.list()).webhooks).toEqual([]);
  });

  it("throws the API's errors as typed errors", async () => {
    await expect(client.webhooks.create({ url: "nope", events: ["job.completed"] })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const member = createClient({ baseUrl: sys.apiUrl, token: await sys.token({ role: "member" }) });
    await expect(member.webhooks.list()).rejects.toBeInstanceOf(ForbiddenError);
  });
});

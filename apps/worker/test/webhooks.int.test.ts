import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { System, waitFor, type AppProcess } from "@jobstream/testing";
import { sendDelivery } from "../src/webhooks/send-delivery";
import { answer, WebhookReceiver, type Behaviour } from "./webhook-receiver";

const sys = new System();
const receiver = new WebhookReceiver();
/** Short retries and timeouts so the back-off and the disabling run within a test. */
const SENDER_ENV = {
  WEBHOOK_ALLOW_PRIVATE: "true",
  WEBHOOK_RETRY_DELAYS_MS: "0,300,300,300,300,300",
  WEBHOOK_TIMEOUT_MS: "1500",
  WEBHOOK_DISABLE_AFTER_MS: "1000",
  WEBHOOK_POLL_MS: "50",
};
let sender: AppProcess;

beforeAll(async () => {
  await sys.init();
  await receiver.start();
  await sys.startApi({ WEBHOOK_ALLOW_PRIVATE: "true" });
  // Jobs run and are mirrored here; webhooks are sent by the housekeeping processes below.
  await sys.startWorker("work,mirror");
  sender = await sys.startWorker("housekeep", SENDER_ENV);
}, 60_000);
afterAll(async () => {
  await sys.stop();
  await receiver.stop();
}, 60_000);

interface Delivery {
  id: string;
  jobId: string;
  event: string;
  status: string;
  attempts: number;
  attemptLog: { statusCode: number | null; error: string | null }[];
}

/** An org with an admin token and one webhook at a fresh receiver path. */
async function orgWithHook(body: { events: string[]; types?: string[] }, behaviour?: Behaviour) {
  const admin = await sys.token({ org: randomUUID(), role: "admin" });
  const path = receiver.path("hook", behaviour);
  const res = await sys.request<{ webhook: { id: string; secret: string } }>("POST", "/v1/webhooks", {
    token: admin,
    body: { url: `${receiver.url}${path}`, ...body },
  });
  expect(res.status).toBe(201);
  const { id, secret } = res.body.webhook;
  const deliveries = async () =>
    (await sys.request<{ deliveries: Delivery[] }>("GET", `/v1/webhooks/${id}/deliveries`, { token: admin })).body
      .deliveries;
  const settled = (count: number, status = "succeeded") =>
    waitFor(`${count} deliveries ${status}`, async () => {
      const all = await deliveries();
      return all.length === count && all.every((d) => d.status === status) ? all : undefined;
    });
  return { admin, path, id, secret, deliveries, settled };
}

const run = (input: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  type: "synthetic",
  subtype: "work",
  input,
  ...extra,
});

describe("completion webhooks", () => {
  it("sends one signed delivery per completed, failed and cancelled job, with the job's view", async () => {
    const hook = await orgWithHook({ events: ["job.completed", "job.failed", "job.cancelled"] });
    const done = await sys.enqueue(hook.admin, run({ output: { ok: 1 } }));
    const failed = await sys.enqueue(hook.admin, run({ failAttempts: 5 }, { maxAttempts: 2 }));
    const cancelled = await sys.enqueue(hook.admin, run({}, { delayMs: 3_600_000 }));
    await sys.waitForStatus(hook.admin, done.id, "completed");
    await sys.waitForStatus(hook.admin, failed.id, "failed");
    expect((await sys.request("POST", `/v1/jobs/${cancelled.id}/cancel`, { token: hook.admin })).status).toBe(200);

    const deliveries = await hook.settled(3);
    const received = receiver.at(hook.path);
    expect(received).toHaveLength(3);
    const verifier = new Webhook(hook.secret);
    const byJob = new Map<string, { type: string; data: { id: string } }>();
    for (const r of received) {
      const body = verifier.verify(r.body, r.headers) as { type: string; timestamp: string; data: { id: string } };
      byJob.set(body.data.id, body);
      expect(deliveries.map((d) => d.id)).toContain(r.headers["webhook-id"]);
    }
    // The body is the job's view as GET /v1/jobs/:id shows it (the trigger builds it in SQL).
    for (const [job, event] of [
      [done, "job.completed"],
      [failed, "job.failed"],
      [cancelled, "job.cancelled"],
    ] as const) {
      expect(byJob.get(job.id)?.type).toBe(event);
      expect(byJob.get(job.id)?.data).toEqual(await sys.job(hook.admin, job.id));
    }
    // A signature made with another secret is refused.
    const first = received[0];
    if (!first) throw new Error("no delivery");
    expect(() =>
      new Webhook(`whsec_${Buffer.from("x".repeat(24)).toString("base64")}`).verify(first.body, first.headers),
    ).toThrow();
  });

  it("respects the events and types filters", async () => {
    const completedOnly = await orgWithHook({ events: ["job.completed"], types: ["synthetic"] });
    const org = (
      await sys.request<{ webhooks: { orgId: string }[] }>("GET", "/v1/webhooks", {
        token: completedOnly.admin,
      })
    ).body.webhooks[0]?.orgId;
    const importsOnly = await sys.request<{ webhook: { id: string } }>("POST", "/v1/webhooks", {
      token: completedOnly.admin,
      body: {
        url: `${receiver.url}${receiver.path("imports")}`,
        events: ["job.completed", "job.failed"],
        types: ["import"],
      },
    });
    expect(org).toBeDefined();
    const done = await sys.enqueue(completedOnly.admin, run());
    const failed = await sys.enqueue(completedOnly.admin, run({ failAttempts: 5 }, { maxAttempts: 1 }));
    await sys.waitForStatus(completedOnly.admin, done.id, "completed");
    await sys.waitForStatus(completedOnly.admin, failed.id, "failed");
    // Deliveries are inserted with the status change: once both jobs are final, all that will exist does.
    const [only] = await completedOnly.settled(1);
    expect([only?.jobId, only?.event]).toEqual([done.id, "job.completed"]);
    const none = await sys.query(`SELECT 1 FROM webhook_deliveries WHERE webhook_id = $1`, [
      importsOnly.body.webhook.id,
    ]);
    expect(none).toHaveLength(0);
  });

  it("retries a receiver answering 500, then records the success and every attempt", async () => {
    const hook = await orgWithHook({ events: ["job.completed"] }, (n, _req, res) => {
      res.writeHead(n === 0 ? 500 : 200).end();
      return undefined;
    });
    const job = await sys.enqueue(hook.admin, run());
    await sys.waitForStatus(hook.admin, job.id, "completed");
    const [delivery] = await hook.settled(1);
    expect(delivery?.attempts).toBe(2);
    expect(delivery?.attemptLog.map((a) => a.statusCode)).toEqual([500, 200]);
    const ids = receiver.at(hook.path).map((r) => r.headers["webhook-id"]);
    expect(ids).toEqual([delivery?.id, delivery?.id]);
  });

  it("does not follow redirects and records them as failures", async () => {
    const target = receiver.path("redirect-target");
    const hook = await orgWithHook(
      { events: ["job.completed"] },
      answer(302, { location: `${receiver.url}${target}` }),
    );
    const job = await sys.enqueue(hook.admin, run());
    await sys.waitForStatus(hook.admin, job.id, "completed");
    const attempt = await waitFor("an attempt", async () => (await hook.deliveries())[0]?.attemptLog[0]);
    expect(attempt.statusCode).toBe(302);
    expect(attempt.error).toContain("redirect not followed");
    expect(receiver.at(target)).toHaveLength(0);
  });

  it("records a timeout, disables an endpoint that keeps failing (with the reason); PATCH re-enables it", async () => {
    let healthy = false;
    const hook = await orgWithHook({ events: ["job.completed"] }, (_n, _req, res) => {
      if (healthy) res.writeHead(200).end();
      return healthy ? undefined : "hang";
    });
    const job = await sys.enqueue(hook.admin, run());
    await sys.waitForStatus(hook.admin, job.id, "completed");
    const disabled = await waitFor("the webhook disabled", async () => {
      const res = await sys.request<{ webhook: { enabled: boolean; disabledReason: string | null } }>(
        "GET",
        `/v1/webhooks/${hook.id}`,
        { token: hook.admin },
      );
      return res.body.webhook.enabled ? undefined : res.body.webhook;
    });
    expect(disabled.disabledReason).toMatch(/every delivery failed since .*timed out after 1500 ms/);
    const [delivery] = await hook.deliveries();
    expect(delivery?.attemptLog[0]?.error).toBe("timed out after 1500 ms");
    expect(delivery?.attemptLog[0]?.statusCode).toBeNull();

    healthy = true;
    const enabled = await sys.request<{ webhook: { enabled: boolean; disabledReason: string | null } }>(
      "PATCH",
      `/v1/webhooks/${hook.id}`,
      { token: hook.admin, body: { enabled: true } },
    );
    expect([enabled.status, enabled.body.webhook.enabled, enabled.body.webhook.disabledReason]).toEqual([
      200,
      true,
      null,
    ]);
    if (!delivery) throw new Error("no delivery");
    const redelivered = await sys.request("POST", `/v1/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`, {
      token: hook.admin,
    });
    expect(redelivered.status).toBe(202);
    const [done] = await hook.settled(1);
    expect(done?.id).toBe(delivery.id);
    expect(receiver.at(hook.path).at(-1)?.headers["webhook-id"]).toBe(delivery.id);
  });

  it("refuses private addresses when sending unless WEBHOOK_ALLOW_PRIVATE (literal or resolved)", async () => {
    const path = receiver.path("private");
    const port = new URL(receiver.url).port;
    const secret = `whsec_${Buffer.from("k".repeat(24)).toString("base64")}`;
    for (const url of [
      `${receiver.url}${path}`,
      `http://${hostname()}:${port}${path}`,
      `http://[::ffff:127.0.0.1]:${port}${path}`,
    ]) {
      const result = await sendDelivery(
        { id: randomUUID(), url, secret, body: "{}" },
        { timeoutMs: 1500, allowPrivate: false },
      );
      expect(result.error, url).toMatch(/^refused: /);
    }
    expect(receiver.at(path)).toHaveLength(0);
    // The same receiver is reached when private addresses are allowed.
    const allowed = await sendDelivery(
      { id: randomUUID(), url: `http://${hostname()}:${port}${path}`, secret, body: "{}" },
      { timeoutMs: 1500, allowPrivate: true },
    );
    expect(allowed).toMatchObject({ statusCode: 204, error: null });
  });

  it("still delivers, under the same webhook-id, when the sender is killed mid-delivery", async () => {
    let first = true;
    const hook = await orgWithHook({ events: ["job.completed"] }, (_n, _req, res) => {
      if (first) {
        first = false;
        return "hang";
      }
      res.writeHead(200).end();
      return undefined;
    });
    const job = await sys.enqueue(hook.admin, run());
    await sys.waitForStatus(hook.admin, job.id, "completed");
    await waitFor("the first attempt to arrive", () => receiver.at(hook.path).length === 1 || undefined);
    sender.kill("SIGKILL");
    await sender.exited();
    sender = await sys.startWorker("housekeep", SENDER_ENV);
    const [delivery] = await hook.settled(1);
    const ids = receiver.at(hook.path).map((r) => r.headers["webhook-id"]);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids)).toEqual(new Set([delivery?.id]));
  });

  it("sends each delivery once with two senders", async () => {
    await sys.startWorker("housekeep", SENDER_ENV);
    const hook = await orgWithHook({ events: ["job.completed"] });
    const jobs = await sys.request<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", {
      token: hook.admin,
      body: { jobs: Array.from({ length: 40 }, () => ({ type: "synthetic", subtype: "noop", input: {} })) },
    });
    expect(jobs.status).toBe(202);
    await hook.settled(40);
    const ids = receiver.at(hook.path).map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });
});

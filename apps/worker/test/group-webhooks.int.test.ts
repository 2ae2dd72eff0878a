import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect } from "vitest";
import type { readGroupView } from "@jobstream/db";
import { waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { WebhookReceiver } from "./webhook-receiver";

type GroupView = NonNullable<Awaited<ReturnType<typeof readGroupView>>>;

const ENV = { WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_MS: "50" };

/** `started`: a receiver; two worker processes run and mirror the jobs, a third sends webhooks. */
const it = systemTest(async (sys) => {
  const receiver = new WebhookReceiver();
  await receiver.start();
  await sys.startApi(ENV);
  await sys.startWorkers(2, "work,mirror", ENV);
  await sys.startWorker("housekeep", ENV);
  return receiver;
}).extend("receiver", { scope: "file" }, ({ started }, { onCleanup }) => {
  onCleanup(() => started.stop());
  return started;
});

describe("group.completed", () => {
  it("is delivered once, signed, with the group view, when the last of many jobs finishes", async ({
    sys,
    receiver,
  }) => {
    const admin = await sys.token({ org: randomUUID(), role: "admin" });
    const path = receiver.path("groups");
    const made = await sys.request<{ webhook: { id: string; secret: string } }>("POST", "/v1/webhooks", {
      token: admin,
      body: { url: `${receiver.url}${path}`, events: ["group.completed"] },
    });
    expect(made.status).toBe(201);
    const groupId = randomUUID();
    // Noops finishing together on two worker processes, mirrored by both: the last ones race.
    const jobs = Array.from({ length: 200 }, () => ({ type: "synthetic", subtype: "noop", input: {} }));
    const batch = await sys.request("POST", "/v1/jobs/batch", { token: admin, body: { groupId, jobs } });
    expect(batch.status).toBe(202);

    const [delivery] = await waitFor("the delivery", () => receiver.at(path).length > 0 && receiver.at(path));
    const body = new Webhook(made.body.webhook.secret).verify(delivery?.body ?? "", delivery?.headers ?? {}) as {
      type: string;
      data: GroupView;
    };
    const group = await sys.request<{ group: GroupView }>("GET", `/v1/groups/${groupId}`, { token: admin });
    expect(body).toMatchObject({ type: "group.completed", data: group.body.group });
    expect(body.data.counts.completed).toBe(200);
    // Every job is final and every delivery was recorded with it: a second one would exist by now.
    const rows = await sys.query(`SELECT id FROM webhook_deliveries WHERE webhook_id = $1`, [made.body.webhook.id]);
    expect(rows).toHaveLength(1);
    expect(receiver.at(path)).toHaveLength(1);
  });
});

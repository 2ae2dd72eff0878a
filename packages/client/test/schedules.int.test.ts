import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { System, waitFor } from "@jobstream/testing";
import { createClient, NotFoundError, ValidationError, type JobstreamClient } from "../src/index.ts";
import { SYSTEM_ENV, WORKER_ROLES } from "./system-env.ts";

const sys = new System();
let client: JobstreamClient;

beforeAll(async () => {
  await sys.init();
  await sys.startApi(SYSTEM_ENV);
  await sys.startWorker(WORKER_ROLES, SYSTEM_ENV);
  client = createClient({ baseUrl: sys.apiUrl, token: await sys.token({ sub: randomUUID(), role: "member" }) });
}, 90_000);
afterAll(async () => {
  await sys.stop();
}, 60_000);

describe("client.schedules", () => {
  it("creates, lists, pauses, resumes, changes and deletes a schedule; its runs list by scheduleId", async () => {
    const made = await client.schedules.create({
      name: "every second",
      everyMs: 1000,
      job: { type: "synthetic", subtype: "noop", input: {} },
    });
    expect(made.nextRunAt).not.toBeNull();
    const run = await waitFor("a run", async () => {
      for await (const job of client.jobs.list({ scheduleId: made.id })) return job;
      return undefined;
    });
    expect(run.scheduleId).toBe(made.id);
    expect((await client.schedules.list()).schedules.map((s) => s.id)).toContain(made.id);
    expect((await client.schedules.pause(made.id)).paused).toBe(true);
    expect((await client.schedules.resume(made.id)).paused).toBe(false);
    const changed = await client.schedules.update(made.id, { cron: "0 3 * * *", timezone: "America/New_York" });
    expect([changed.cron, changed.everyMs, changed.timezone]).toEqual(["0 3 * * *", null, "America/New_York"]);
    expect((await client.schedules.get(made.id)).name).toBe("every second");
    await client.schedules.delete(made.id);
    await expect(client.schedules.get(made.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("answers a bad timezone with a ValidationError naming the field", async () => {
    const refused = client.schedules.create({
      name: "bad zone",
      cron: "0 * * * *",
      timezone: "Atlantis/Capital",
      job: { type: "synthetic", input: {} },
    });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ details: [{ path: "timezone" }] });
  });
});

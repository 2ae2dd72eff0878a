import { describe, expect } from "vitest";
import { waitFor } from "@jobstream/testing";
import { createClient, NotFoundError, ValidationError } from "../src/index.ts";
import { it as systemTest } from "./system-env.ts";

/** A client of a member in an org of its own (members may schedule jobs). */
const it = systemTest.extend("client", { scope: "file" }, ({ sys, member }) =>
  createClient({ baseUrl: sys.apiUrl, token: member }),
);

describe("client.schedules", () => {
  it("creates, lists, pauses, resumes, changes and deletes a schedule; its runs list by scheduleId", async ({
    client,
  }) => {
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

  it("answers a bad timezone with a ValidationError naming the field", async ({ client }) => {
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

import { describe, expect } from "vitest";
import { it } from "./api-test.ts";
import { cli } from "./run-cli.ts";

describe("jobstream webhooks", () => {
  it("creates (printing the secret once), lists and deletes", async ({ started: { env } }) => {
    const created = await cli(
      ["webhooks", "create", "https://hooks.example.com/in", "--events", "job.completed,job.failed", "--json"],
      env,
    );
    expect([created.code, created.stderr]).toEqual([0, ""]);
    const hook = JSON.parse(created.stdout) as { id: string; secret: string; events: string[] };
    expect(hook.secret).toMatch(/^whsec_/);
    expect(hook.events).toEqual(["job.completed", "job.failed"]);

    const listed = await cli(["webhooks", "list"], env);
    const lines = listed.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; secret?: string });
    expect(lines.map((l) => l.id)).toEqual([hook.id]);
    expect(lines[0]).not.toHaveProperty("secret");

    expect((await cli(["webhooks", "delete", hook.id], env)).code).toBe(0);
    expect((await cli(["webhooks", "list"], env)).stdout).toBe("");
  });

  it("refuses an unknown event before calling the API, and shows the API's refusal of a private URL", async ({
    started: { env },
  }) => {
    const unknown = await cli(["webhooks", "create", "https://x.example", "--events", "job.done"], env);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('"job.done" is not an event');
    const refused = await cli(["webhooks", "create", "http://127.0.0.1/x", "--events", "job.completed"], env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("url");
  });
});

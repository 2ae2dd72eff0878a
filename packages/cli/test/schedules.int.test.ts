import { describe, expect } from "vitest";
import { it } from "./api-test.ts";
import { cli } from "./run-cli.ts";

describe("jobstream schedules", () => {
  it("creates (prints the id), lists, pauses, resumes and deletes", async ({ started: { env } }) => {
    const made = await cli(
      [
        "schedules",
        "create",
        "nightly",
        "--cron",
        "0 3 * * *",
        "--tz",
        "Europe/Paris",
        "synthetic/noop",
        "--input",
        "{}",
      ],
      env,
    );
    expect([made.code, made.stderr]).toEqual([0, ""]);
    const id = made.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await cli(["schedules", "list"], env);
    const rows = listed.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; cron: string; timezone: string });
    expect(rows.find((r) => r.id === id)).toMatchObject({ cron: "0 3 * * *", timezone: "Europe/Paris" });
    expect((await cli(["schedules", "pause", id], env)).stdout.trim()).toBe(`${id} paused`);
    expect((await cli(["schedules", "resume", id], env)).stdout.trim()).toBe(`${id} active`);
    expect((await cli(["schedules", "delete", id], env)).stdout.trim()).toBe(`${id} deleted`);
    expect((await cli(["schedules", "delete", id], env)).code).toBe(3);
  });

  it("shows the API's field issues for a bad pattern, and refuses --cron with --every as usage", async ({
    started: { env },
  }) => {
    const bad = await cli(["schedules", "create", "bad", "--cron", "99 * * * *", "synthetic", "--input", "{}"], env);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("validation_failed");
    expect(bad.stderr).toMatch(/^ {2}cron: /m);
    const both = await cli(["schedules", "create", "x", "--cron", "* * * * *", "--every", "1000", "synthetic"], env);
    expect(both.code).toBe(64);
  });
});

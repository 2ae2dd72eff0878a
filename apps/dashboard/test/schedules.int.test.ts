// The schedules page: a member's schedules, pause and resume, and the link to a schedule's runs.
import { describe, expect } from "vitest";
import { accessibilityViolations, screenshot } from "./browser";
import { dashboardTest as it, signIn } from "./dashboard-fixture";

describe("dashboard schedules page", () => {
  it("lists the caller's schedules, resumes and pauses one, and links to its runs", async ({
    sys,
    tokens,
    newPage,
  }) => {
    const token = tokens.alice;
    const lastJobOf = async (id: string) =>
      (await sys.request<{ schedule: { lastJobId: string | null } }>("GET", `/v1/schedules/${id}`, { token })).body
        .schedule.lastJobId;
    const made = await sys.request<{ schedule: { id: string } }>("POST", "/v1/schedules", {
      token,
      body: {
        name: "Hourly noop",
        everyMs: 3_600_000,
        paused: true,
        job: { type: "synthetic", subtype: "noop", input: {} },
      },
    });
    expect(made.status).toBe(201);
    const id = made.body.schedule.id;
    const page = await newPage();
    await signIn(sys, page, token);
    await page.getByRole("link", { name: "Schedules" }).click();
    await page.getByRole("heading", { name: "Schedules" }).waitFor();
    const row = page.locator(`tr[data-schedule-id="${id}"]`);
    await expect.poll(() => row.textContent()).toContain("every 60 min");
    expect(await accessibilityViolations(page)).toEqual([]);

    await row.getByRole("button", { name: "Resume Hourly noop" }).click();
    await row.getByRole("button", { name: "Pause Hourly noop" }).waitFor();
    // Resumed: an interval schedule's first tick is due at once; its run becomes the last run.
    await expect.poll(() => lastJobOf(id), { timeout: 20_000 }).not.toBeNull();
    await row.getByRole("button", { name: "Pause Hourly noop" }).click();
    await row.getByRole("button", { name: "Resume Hourly noop" }).waitFor();
    const [stored] = await sys.query<{ paused: boolean }>(`SELECT paused FROM schedules WHERE id = $1`, [id]);
    expect(stored?.paused).toBe(true);

    await page.reload();
    await row.getByRole("link", { name: "Hourly noop" }).click();
    await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get("scheduleId")).toBe(id);
    await page.locator("tbody tr").first().waitFor();
    expect(await page.locator("tbody tr").count()).toBe(1);
    await screenshot(page, "schedule-runs");
  });
});

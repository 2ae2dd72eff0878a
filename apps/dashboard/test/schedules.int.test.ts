import { randomUUID } from "node:crypto";
import { System } from "@jobstream/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser, screenshot } from "./browser";

const system = new System();
let browser: Browser;
let token: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  await system.init();
  await system.startApi();
  await system.startWorker("work,mirror,housekeep");
  token = await system.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  await system.stop();
});

async function signedIn(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => {
    pageErrors.push(error.message);
  });
  await page.goto(`${system.apiUrl}/`);
  await page.getByLabel("Access token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
  return page;
}

const lastJobOf = async (id: string) =>
  (await system.request<{ schedule: { lastJobId: string | null } }>("GET", `/v1/schedules/${id}`, { token })).body
    .schedule.lastJobId;

describe("dashboard schedules page", () => {
  it("lists the caller's schedules, resumes and pauses one, and links to its runs", async () => {
    const made = await system.request<{ schedule: { id: string } }>("POST", "/v1/schedules", {
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
    const page = await signedIn();
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
    const [stored] = await system.query<{ paused: boolean }>(`SELECT paused FROM schedules WHERE id = $1`, [id]);
    expect(stored?.paused).toBe(true);

    await page.reload();
    await row.getByRole("link", { name: "Hourly noop" }).click();
    await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get("scheduleId")).toBe(id);
    await page.locator("tbody tr").first().waitFor();
    expect(await page.locator("tbody tr").count()).toBe(1);
    await screenshot(page, "schedule-runs");
    expect(pageErrors).toEqual([]);
  });
});

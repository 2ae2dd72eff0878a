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
  await system.startWorker("work,mirror");
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

describe("dashboard group page", () => {
  it("opens from a job's group, shows live counts and progress, cancels and retries the group", async () => {
    const groupId = `photos 1×3 ${randomUUID()}`;
    const work = { type: "synthetic", subtype: "work", input: { durationMs: 200 } };
    const waiting = { type: "synthetic", subtype: "work", input: {}, delayMs: 3_600_000 };
    const batch = await system.request<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", {
      token,
      body: { groupId, jobs: [work, work, waiting] },
    });
    expect(batch.status).toBe(202);
    const first = batch.body.jobs[0]?.job.id ?? "";

    const page = await signedIn();
    await page.goto(`${system.apiUrl}/dashboard/jobs/${first}`);
    await page.getByRole("link", { name: groupId }).click();
    await page.getByRole("heading", { name: `Group ${groupId}` }).waitFor();
    const counts = page.getByRole("list", { name: "Jobs per status" });
    await expect.poll(() => counts.textContent()).toBe("delayed 1completed 2");
    await expect
      .poll(() => page.getByRole("progressbar", { name: "Group progress" }).getAttribute("aria-valuenow"))
      .toBe("67");
    await expect.poll(() => page.locator("tbody tr").count()).toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "group");

    await page.getByRole("button", { name: "Cancel group" }).click();
    await page.getByRole("status").filter({ hasText: "Cancelled 1 jobs." }).waitFor();
    await expect.poll(() => counts.textContent()).toBe("completed 2cancelled 1");
    await page.getByRole("button", { name: "Retry failed and cancelled" }).click();
    await page.getByRole("status").filter({ hasText: "Retried 1 jobs." }).waitFor();
    // A retried job keeps its schedule (an hour ahead): the group is unfinished again, its page live again.
    await expect.poll(() => counts.textContent()).toBe("delayed 1completed 2");
    await page.getByText("unfinished", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Cancel group" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

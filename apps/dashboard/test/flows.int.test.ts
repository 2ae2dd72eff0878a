import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";
import { accessibilityViolations, launchBrowser, screenshot } from "./browser";

const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror,housekeep");
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
}).extend("browser", { scope: "file" }, async ({}, { onCleanup }): Promise<Browser> => {
  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  return browser;
});

describe("dashboard flow tree", () => {
  it("shows a parent's sub-jobs nested, with statuses, counts and links both ways", async ({ sys, browser }) => {
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    const work = (name: string, durationMs: number) => ({ type: "synthetic", name, input: { durationMs } });
    const made = await sys.request<{ job: { id: string }; children: { job: { id: string } }[] }>("POST", "/v1/jobs", {
      token,
      body: {
        type: "synthetic",
        subtype: "gather",
        name: "Import catalogue",
        input: {},
        children: [
          work("Fetch prices", 0),
          {
            type: "synthetic",
            subtype: "gather",
            name: "Images",
            input: {},
            children: [work("Resize", 0), work("Upload", 8000)],
          },
        ],
      },
    });
    expect(made.status).toBe(202);
    const parent = made.body.job.id;
    const pageErrors: string[] = [];
    const page: Page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (error) => {
      pageErrors.push(error.message);
    });
    await page.goto(`${sys.apiUrl}/`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
    await page.goto(`${sys.apiUrl}/dashboard/jobs/${parent}`);
    await page.getByRole("heading", { name: "Import catalogue" }).waitFor();

    const tree = page.getByRole("list", { name: "Sub-jobs", exact: true });
    await tree.getByRole("link", { name: "Fetch prices" }).waitFor();
    const nested = page.getByRole("list", { name: "Sub-jobs of Images" });
    await nested.getByRole("link", { name: "Upload" }).waitFor();
    // While Upload runs: the parent waits, its counts say what its children do.
    await expect.poll(() => page.locator(".flow-tree").textContent()).toMatch(/2 sub-jobs: .*1 completed/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "flow-tree");

    await nested.getByRole("link", { name: "Upload" }).click();
    await page.getByRole("heading", { name: "Upload" }).waitFor();
    await page.getByRole("link", { name: "↑ Parent job" }).click();
    await page.getByRole("heading", { name: "Images" }).waitFor();
    await expect.poll(() => page.locator(".flow-tree").textContent(), { timeout: 30_000 }).toContain("2 completed");
    expect(pageErrors).toEqual([]);
  });
});

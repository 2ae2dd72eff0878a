// The stats page as charts, and the jobs list, at desktop and phone widths.
import { describe, expect } from "vitest";
import { accessibilityViolations, screenshot, unnamedControls } from "./browser";
import { dashboardTest as it, signIn } from "./dashboard-fixture";

describe("dashboard stats page", () => {
  it("shows stats as charts to an admin, readable at 1280 and 390 px", async ({ sys, tokens, newPage }) => {
    // Stats of an org with work in it: one finished job of the org's member.
    const job = await sys.enqueue(tokens.alice, { type: "synthetic", subtype: "work", name: "counted", input: {} });
    await sys.waitForStatus(tokens.alice, job.id, "completed");
    const page = await newPage();
    await signIn(sys, page, tokens.admin);
    await page.getByRole("link", { name: "Stats" }).click();
    await page.getByRole("img", { name: /Success rate by type/ }).waitFor();
    await page.getByRole("img", { name: /Queue depth now/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, "stats-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "stats-390");
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    await page.getByRole("table").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "jobs-390");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "jobs-1280");
  });
});

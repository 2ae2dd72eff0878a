// The operator console: time-series charts with data, queue pause/resume, and links by role.
import { describe, expect } from "vitest";
import type { Page } from "playwright-core";
import { accessibilityViolations, screenshot, unnamedControls } from "./browser";
import { dashboardTest as it, soon } from "./dashboard-fixture";

/** The figures of a chart's text alternative (its visually hidden table), column by column. */
async function columnSums(page: Page, chart: string): Promise<number[]> {
  const rows = await page
    .getByRole("figure", { name: chart })
    .locator("table tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => Number(td.textContent))));
  return rows.reduce<number[]>((sums, row) => row.map((v, i) => (sums[i] ?? 0) + (Number.isNaN(v) ? 0 : v)), []);
}

describe("dashboard console", () => {
  it("draws throughput, failures and latency over time once jobs ran, the range kept in the URL", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    const done = await sys.enqueueMany(tokens.alice, 3, (i) => ({
      type: "synthetic",
      subtype: "work",
      name: `charted ${String(i)}`,
      input: { durationMs: 20 },
    }));
    const failing = await sys.enqueue(tokens.alice, {
      type: "synthetic",
      subtype: "work",
      name: "charted failure",
      input: { failAttempts: 5 },
      maxAttempts: 1,
    });
    for (const id of done) await sys.waitForStatus(tokens.alice, id, "completed");
    await sys.waitForStatus(tokens.alice, failing.id, "failed");

    const page = await signedIn(tokens.admin);
    await page.getByRole("link", { name: "Stats" }).click();
    // The last hour by minute, synthetic jobs only: applied through the form into the URL.
    await page.getByLabel("Range", { exact: true }).selectOption("1h");
    await page.getByLabel("Bucket", { exact: true }).selectOption("1m");
    await page.getByLabel("Type", { exact: true }).selectOption("synthetic");
    await page.getByRole("button", { name: "Show" }).click();
    await expect.poll(() => new URL(page.url()).search, soon).toBe("?range=1h&bucket=1m&type=synthetic");
    for (const name of ["Throughput", "Failures", "Latency"])
      await page
        .getByRole("figure", { name: new RegExp(name) })
        .locator("canvas")
        .first()
        .waitFor();
    // Drawn from the data: every job counted, in the chart's text alternative too.
    expect(await columnSums(page, "Throughput: jobs created and completed")).toEqual([4, 3]);
    expect(await columnSums(page, "Failures: jobs failed and cancelled")).toEqual([1, 0]);
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, "stats-timeseries-1280");

    // The URL alone reproduces the view: a reload shows the same range and charts.
    await page.reload();
    await page
      .getByRole("figure", { name: /Throughput/ })
      .locator("canvas")
      .first()
      .waitFor();
    expect(await page.getByLabel("Range", { exact: true }).inputValue()).toBe("1h");
    expect(await page.getByLabel("Type", { exact: true }).inputValue()).toBe("synthetic");
    expect(await columnSums(page, "Throughput: jobs created and completed")).toEqual([4, 3]);
  });

  it("lets an operator pause and resume a queue; the pause shows on the queues and stats pages", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    const page = await signedIn(tokens.operator);
    await page.getByRole("link", { name: "Queues", exact: true }).click();
    const row = page.locator('tr[data-queue="synthetic"]');
    await row.getByText("running").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Pause queue synthetic" }).click();
    await row.getByText("paused").waitFor();
    await screenshot(page, "queues-paused-1280");

    // Paused: a new job waits in the queue rather than running.
    const waiting = await sys.enqueue(tokens.alice, { type: "synthetic", subtype: "noop", input: {} });
    await page.getByRole("button", { name: "Refresh queues" }).click();
    await expect.poll(() => row.locator("td").nth(1).textContent(), soon).toBe("1");
    expect((await sys.job(tokens.alice, waiting.id)).status).toBe("queued");
    await page.getByRole("link", { name: "Stats" }).click();
    await page.getByRole("img", { name: /Queue depth now: .*synthetic \(paused\)/ }).waitFor();

    await page.getByRole("link", { name: "Queues", exact: true }).click();
    await page.getByRole("button", { name: "Resume queue synthetic" }).click();
    await row.getByText("running").waitFor();
    await sys.waitForStatus(tokens.alice, waiting.id, "completed");
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("offers Stats, Queues and pause only to roles the API lets see or use them", async ({ tokens, signedIn }) => {
    const member = await signedIn(tokens.alice);
    await member.getByRole("link", { name: "Enqueue", exact: true }).waitFor();
    expect(await member.getByRole("link", { name: "Stats" }).count()).toBe(0);
    expect(await member.getByRole("link", { name: "Queues", exact: true }).count()).toBe(0);

    const admin = await signedIn(tokens.admin);
    await admin.getByRole("link", { name: "Stats" }).waitFor();
    // Queues are shared by every org: not an org admin's.
    expect(await admin.getByRole("link", { name: "Queues", exact: true }).count()).toBe(0);
  });
});

// The job page: live progress, items, the timeline, cancel and retry.
import { describe, expect } from "vitest";
import { accessibilityViolations, screenshot } from "./browser";
import { dashboardTest as it, soon, signIn, markWindow, windowMark } from "./dashboard-fixture";

describe("dashboard job page", () => {
  it("shows a job enqueued through the API, its progress reaching 100 % without a reload, then its items", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    const page = await signedIn(tokens.alice);
    await markWindow(page, 42);
    const job = await sys.enqueue(tokens.alice, {
      type: "synthetic",
      subtype: "work",
      name: "nightly import",
      input: {
        durationMs: 8000,
        items: 6,
        failItems: [2],
        steps: ["fetch", "transform", "load"],
        output: { ok: true },
      },
    });
    await page.getByRole("button", { name: /new job/ }).click();
    // The list row follows the job live too.
    await page.locator(`tr[data-job-id="${job.id}"] .badge`, { hasText: "running" }).waitFor();
    await page.getByRole("link", { name: "nightly import" }).click();
    await page.getByRole("heading", { name: "nightly import" }).waitFor();
    const bar = page.getByRole("progressbar", { name: "Job progress" });
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await bar.getAttribute("aria-valuenow")) ?? "");
          return bar.getAttribute("aria-valuenow");
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe("100");
    // Intermediate values were shown on the way (the stream, not one final read).
    expect([...seen].filter((v) => v !== "0" && v !== "100").length).toBeGreaterThan(0);
    await page.locator(".job-head .badge", { hasText: "completed" }).waitFor();
    expect(await windowMark(page)).toBe(42);
    expect(page.url()).toBe(`${sys.apiUrl}/dashboard/jobs/${job.id}`);

    const items = page.locator(".items-table tbody tr");
    await expect.poll(() => items.count(), soon).toBe(6);
    await page.getByLabel("Status", { exact: true }).last().selectOption("error");
    await expect.poll(() => items.count(), soon).toBe(1);
    await expect.poll(() => items.first().textContent(), soon).toContain("item-2");
    await page.locator(".timeline", { hasText: "transform" }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "job-detail-1280");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, "job-detail-390");
  });

  it("cancels a running job and retries a failed one", async ({ sys, tokens, newPage }) => {
    const page = await newPage();
    await signIn(sys, page, tokens.alice);
    const long = await sys.enqueue(tokens.alice, {
      type: "synthetic",
      subtype: "work",
      name: "long job",
      input: { durationMs: 60_000, steps: ["wait"] },
    });
    await sys.waitForStatus(tokens.alice, long.id, "running");
    await page.goto(`${sys.apiUrl}/dashboard/jobs/${long.id}`);
    await page.locator(".job-head .badge", { hasText: "running" }).waitFor();
    await expect.poll(() => page.getByTestId("active-running").textContent(), soon).toBe("1 running");
    await page.getByRole("button", { name: "Cancel job" }).click();
    await page.locator(".job-head .badge", { hasText: "cancelled" }).waitFor();
    await expect.poll(() => page.getByTestId("active-running").textContent(), soon).toBe("0 running");
    expect((await sys.waitForStatus(tokens.alice, long.id, "cancelled")).status).toBe("cancelled");

    const flaky = await sys.enqueue(tokens.alice, {
      type: "synthetic",
      subtype: "work",
      name: "flaky job",
      maxAttempts: 1,
      input: { failAttempts: 1 },
    });
    await sys.waitForStatus(tokens.alice, flaky.id, "failed");
    await page.goto(`${sys.apiUrl}/dashboard/jobs/${flaky.id}`);
    await page.locator(".error-box code").waitFor();
    expect(await page.getByRole("button", { name: "Cancel job" }).count()).toBe(0);
    await page.getByRole("button", { name: "Retry job" }).click();
    await page.locator(".job-head .badge", { hasText: "completed" }).waitFor();
    const done = await sys.waitForStatus(tokens.alice, flaky.id, "completed");
    expect(done.attempts).toBe(2);
  });
});

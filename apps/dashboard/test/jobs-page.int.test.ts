// The jobs list: live rows, polling when streams fail, and what another member may not see.
import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { dashboardTest as it, soon, signIn, markWindow, windowMark } from "./dashboard-fixture";

describe("dashboard jobs list", () => {
  it("falls back to polling when streams are refused or broken, and the page still updates", async ({
    sys,
    tokens,
    newPage,
  }) => {
    const carol = await sys.token({ org: tokens.org, sub: randomUUID(), role: "member" });
    const page = await newPage();
    // The all-jobs stream cannot connect; each job's stream gets a proxy's 502: neither can be held.
    const streamRequests: string[] = [];
    await page.route("**/stream*", async (route) => {
      const url = new URL(route.request().url());
      streamRequests.push(url.pathname);
      if (url.pathname === "/v1/stream") await route.abort("connectionrefused");
      else await route.fulfill({ status: 502, contentType: "text/plain", body: "bad gateway" });
    });
    await signIn(sys, page, carol);
    await page.getByRole("status", { name: "Live updates: polling" }).waitFor();
    await page.getByText("No jobs match these filters.").waitFor();
    await markWindow(page, 7);
    const job = await sys.enqueue(carol, {
      type: "synthetic",
      subtype: "work",
      name: "polled job",
      input: { durationMs: 8000, items: 4, steps: ["one", "two", "three", "four"] },
    });
    // The header widget and the list learn of it by polling.
    await expect.poll(() => page.getByTestId("active-running").textContent(), soon).toBe("1 running");
    await page.getByRole("button", { name: /new job/ }).click();
    await page.locator(`tr[data-job-id="${job.id}"] .badge`, { hasText: "running" }).waitFor();
    await page.getByRole("link", { name: "polled job" }).click();
    const bar = page.getByRole("progressbar", { name: "Job progress" });
    await expect.poll(() => bar.getAttribute("aria-valuenow"), { timeout: 30_000, interval: 100 }).toBe("100");
    await page.locator(".job-head .badge", { hasText: "completed" }).waitFor();
    await expect.poll(() => page.getByTestId("active-running").textContent(), soon).toBe("0 running");
    expect(await windowMark(page)).toBe(7);
    // Both kinds of stream were tried, and given up on, before polling took over.
    expect(streamRequests).toContain("/v1/stream");
    expect(streamRequests).toContain(`/v1/jobs/${job.id}/stream`);
    await page.getByRole("status", { name: "Live updates: polling" }).waitFor();
  });

  it("does not show one member's job to another member, neither in pages nor live", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    const page = await signedIn(tokens.bob);
    const alicePage = await signedIn(tokens.alice);
    const job = await sys.enqueue(tokens.alice, {
      type: "synthetic",
      subtype: "work",
      name: "alice only",
      input: { durationMs: 8000 },
    });
    // Alice's page hears of it live; by then Bob's has had every chance to, and must not have.
    await alicePage.getByRole("button", { name: /new job/ }).waitFor();
    await expect.poll(() => alicePage.getByTestId("active-running").textContent(), soon).toBe("1 running");
    await sys.waitForStatus(tokens.alice, job.id, "completed");
    await alicePage.getByRole("button", { name: /new job/ }).click();
    await alicePage.locator(`tr[data-job-id="${job.id}"] .badge`, { hasText: "completed" }).waitFor();
    expect(await page.getByRole("button", { name: /new job/ }).count()).toBe(0);
    expect(await page.getByTestId("active-running").textContent()).toBe("0 running");
    await page.goto(`${sys.apiUrl}/dashboard/jobs/${job.id}`);
    await page.getByRole("alert").filter({ hasText: "Not found" }).waitFor();
    await page.goto(`${sys.apiUrl}/dashboard/jobs`);
    await page.getByText("No jobs match these filters.").waitFor();
    expect(await page.getByRole("link", { name: "alice only" }).count()).toBe(0);
    // A bad filter shows the API's error code and field, not a blank page.
    await page.getByLabel("User id").fill("not-a-uuid");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByRole("alert").filter({ hasText: "validation_failed" }).filter({ hasText: "userId" }).waitFor();
  });
});

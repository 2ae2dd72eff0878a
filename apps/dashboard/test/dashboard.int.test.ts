import { randomUUID } from "node:crypto";
import { System } from "@jobstream/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { accessibilityViolations, launchBrowser, screenshot, unnamedControls } from "./browser";

const system = new System();
let browser: Browser;
const org = randomUUID();
const alice = randomUUID();
const bob = randomUUID();
let aliceToken: string;
let bobToken: string;
let adminToken: string;
let operatorToken: string;
const contexts: BrowserContext[] = [];
/** How long the page may take to show a change (expect.poll's default is 1 s). */
const soon = { timeout: 20_000, interval: 100 };
/** Uncaught errors in any page: a test that passes while the app threw would hide a bug. */
const pageErrors: string[] = [];

beforeAll(async () => {
  await system.init();
  await system.startApi();
  await system.startWorker("work,mirror,housekeep");
  [aliceToken, bobToken, adminToken, operatorToken] = await Promise.all([
    system.token({ org, sub: alice, role: "member" }),
    system.token({ org, sub: bob, role: "member" }),
    system.token({ org, role: "admin" }),
    system.token({ role: "operator" }),
  ]);
  browser = await launchBrowser();
});

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser.close();
  await system.stop();
});

/** A fresh browser profile (no cookies, no session storage) at the given width. */
async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => {
    pageErrors.push(error.message);
  });
  return page;
}

/** Marks the page's window: the mark survives only if the page is never reloaded. */
async function markWindow(page: Page, mark: number): Promise<void> {
  await page.evaluate((value) => {
    (window as unknown as { marker: number }).marker = value;
  }, mark);
}
const windowMark = (page: Page) => page.evaluate(() => (window as unknown as { marker?: number }).marker);

/** Signs in through the form, by keyboard only. */
async function signIn(page: Page, token: string, checkAccessibility = false): Promise<void> {
  await page.goto(`${system.apiUrl}/`);
  if (checkAccessibility) {
    await page.getByLabel("Access token").waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  }
  await page.getByLabel("Access token").focus();
  await page.keyboard.insertText(token);
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
}

/** The jobs page has its first page (rows or the empty state) and its live stream open. */
async function liveAndListed(page: Page): Promise<void> {
  await page.getByRole("status", { name: "Live updates: open" }).waitFor();
  await page.getByRole("table").or(page.getByText("No jobs match these filters.")).first().waitFor();
}

describe("dashboard in Chromium", () => {
  it("signs in by keyboard, keeps the token out of URLs and in session storage", async () => {
    const page = await newPage();
    const urls: string[] = [];
    page.on("request", (req) => urls.push(req.url()));
    await signIn(page, aliceToken, true);
    expect(page.url()).toBe(`${system.apiUrl}/dashboard/`);
    expect(await page.evaluate(() => window.sessionStorage.getItem("jobstream.session"))).toContain(aliceToken);
    expect(urls.filter((u) => u.includes(aliceToken))).toEqual([]);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "jobstream_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
      path: "/admin",
    });
    await expect.poll(() => page.getByTestId("active-running").textContent(), soon).toBe("0 running");
    expect(await unnamedControls(page)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("signs in from a #token= link (as `pnpm start` prints), then takes the token out of the address bar", async () => {
    const job = await system.enqueue(aliceToken, { type: "synthetic", subtype: "work", name: "linked job", input: {} });
    const page = await newPage();
    const urls: string[] = [];
    page.on("request", (req) => urls.push(req.url()));
    await page.goto(`${system.apiUrl}/dashboard/#token=${aliceToken}`);
    await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
    await liveAndListed(page);
    await page.locator(`tr[data-job-id="${job.id}"]`).waitFor();
    expect(page.url()).toBe(`${system.apiUrl}/dashboard/`);
    expect(await page.evaluate(() => window.location.hash)).toBe("");
    expect(await page.evaluate(() => window.sessionStorage.getItem("jobstream.session"))).toContain(aliceToken);
    // A fragment is never sent to the server; the token went in the Authorization header only.
    expect(urls.filter((u) => u.includes(aliceToken))).toEqual([]);
    // Reloading the cleaned URL keeps the session (sessionStorage), without the link.
    await page.reload();
    await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
  });

  it("says how to get a token, and why a bad sign-in link failed", async () => {
    const page = await newPage();
    await page.goto(`${system.apiUrl}/dashboard/#token=not-a-jwt`);
    await page.getByRole("alert").or(page.getByText("The sign-in link did not work")).first().waitFor();
    expect(await page.locator("main").textContent()).toMatch(/The sign-in link did not work: .*\(unauthorized\)/);
    expect(await page.locator("main").textContent()).toContain("pnpm token");
    expect(await page.locator("main").textContent()).toContain("pnpm start");
    expect(page.url()).toBe(`${system.apiUrl}/dashboard/`);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("shows a job enqueued through the API, its progress reaching 100 % without a reload, then its items", async () => {
    const page = await newPage();
    await signIn(page, aliceToken);
    await liveAndListed(page);
    await markWindow(page, 42);
    const job = await system.enqueue(aliceToken, {
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
    expect(page.url()).toBe(`${system.apiUrl}/dashboard/jobs/${job.id}`);

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

  it("cancels a running job and retries a failed one", async () => {
    const page = await newPage();
    await signIn(page, aliceToken);
    const long = await system.enqueue(aliceToken, {
      type: "synthetic",
      subtype: "work",
      name: "long job",
      input: { durationMs: 60_000, steps: ["wait"] },
    });
    await system.waitForStatus(aliceToken, long.id, "running");
    await page.goto(`${system.apiUrl}/dashboard/jobs/${long.id}`);
    await page.locator(".job-head .badge", { hasText: "running" }).waitFor();
    await expect.poll(() => page.getByTestId("active-running").textContent(), soon).toBe("1 running");
    await page.getByRole("button", { name: "Cancel job" }).click();
    await page.locator(".job-head .badge", { hasText: "cancelled" }).waitFor();
    await expect.poll(() => page.getByTestId("active-running").textContent(), soon).toBe("0 running");
    expect((await system.waitForStatus(aliceToken, long.id, "cancelled")).status).toBe("cancelled");

    const flaky = await system.enqueue(aliceToken, {
      type: "synthetic",
      subtype: "work",
      name: "flaky job",
      maxAttempts: 1,
      input: { failAttempts: 1 },
    });
    await system.waitForStatus(aliceToken, flaky.id, "failed");
    await page.goto(`${system.apiUrl}/dashboard/jobs/${flaky.id}`);
    await page.locator(".error-box code").waitFor();
    expect(await page.getByRole("button", { name: "Cancel job" }).count()).toBe(0);
    await page.getByRole("button", { name: "Retry job" }).click();
    await page.locator(".job-head .badge", { hasText: "completed" }).waitFor();
    const done = await system.waitForStatus(aliceToken, flaky.id, "completed");
    expect(done.attempts).toBe(2);
  });

  it("falls back to polling when streams are refused or broken, and the page still updates", async () => {
    const carol = await system.token({ org, sub: randomUUID(), role: "member" });
    const page = await newPage();
    // The all-jobs stream cannot connect; each job's stream gets a proxy's 502: neither can be held.
    const streamRequests: string[] = [];
    await page.route("**/stream*", async (route) => {
      const url = new URL(route.request().url());
      streamRequests.push(url.pathname);
      if (url.pathname === "/v1/stream") await route.abort("connectionrefused");
      else await route.fulfill({ status: 502, contentType: "text/plain", body: "bad gateway" });
    });
    await signIn(page, carol);
    await page.getByRole("status", { name: "Live updates: polling" }).waitFor();
    await page.getByText("No jobs match these filters.").waitFor();
    await markWindow(page, 7);
    const job = await system.enqueue(carol, {
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

  it("ends the session when the API answers 401 to the jobs client (a revoked token)", async () => {
    const page = await newPage();
    await signIn(page, aliceToken);
    await liveAndListed(page);
    await page.evaluate(() => {
      const stored = JSON.parse(window.sessionStorage.getItem("jobstream.session") ?? "{}") as object;
      window.sessionStorage.setItem("jobstream.session", JSON.stringify({ ...stored, token: "revoked" }));
    });
    // The jobs page reads only through @jobstream/client and its hooks: their 401 must sign out.
    await page.reload();
    await page.getByText("Your session ended; sign in again.").waitFor();
    expect(await page.evaluate(() => window.sessionStorage.getItem("jobstream.session"))).toBeNull();
  });

  it("does not show one member's job to another member, neither in pages nor live", async () => {
    const page = await newPage();
    await signIn(page, bobToken);
    await liveAndListed(page);
    const alicePage = await newPage();
    await signIn(alicePage, aliceToken);
    await liveAndListed(alicePage);
    const job = await system.enqueue(aliceToken, {
      type: "synthetic",
      subtype: "work",
      name: "alice only",
      input: { durationMs: 8000 },
    });
    // Alice's page hears of it live; by then Bob's has had every chance to, and must not have.
    await alicePage.getByRole("button", { name: /new job/ }).waitFor();
    await expect.poll(() => alicePage.getByTestId("active-running").textContent(), soon).toBe("1 running");
    await system.waitForStatus(aliceToken, job.id, "completed");
    await alicePage.getByRole("button", { name: /new job/ }).click();
    await alicePage.locator(`tr[data-job-id="${job.id}"] .badge`, { hasText: "completed" }).waitFor();
    expect(await page.getByRole("button", { name: /new job/ }).count()).toBe(0);
    expect(await page.getByTestId("active-running").textContent()).toBe("0 running");
    await page.goto(`${system.apiUrl}/dashboard/jobs/${job.id}`);
    await page.getByRole("alert").filter({ hasText: "Not found" }).waitFor();
    await page.goto(`${system.apiUrl}/dashboard/jobs`);
    await page.getByText("No jobs match these filters.").waitFor();
    expect(await page.getByRole("link", { name: "alice only" }).count()).toBe(0);
    // A bad filter shows the API's error code and field, not a blank page.
    await page.getByLabel("User id").fill("not-a-uuid");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByRole("alert").filter({ hasText: "validation_failed" }).filter({ hasText: "userId" }).waitFor();
  });

  it("bull-board refuses members, org admins and anonymous callers; opens for a signed-in operator", async () => {
    const anonymous = await newPage();
    expect((await anonymous.goto(`${system.apiUrl}/admin/queues`))?.status()).toBe(401);

    const member = await newPage();
    await signIn(member, aliceToken);
    expect(await member.getByRole("link", { name: /bull-board/ }).count()).toBe(0);
    expect((await member.goto(`${system.apiUrl}/admin/queues`))?.status()).toBe(403);

    const orgAdmin = await newPage();
    await signIn(orgAdmin, adminToken);
    expect(await orgAdmin.getByRole("link", { name: /bull-board/ }).count()).toBe(0);
    expect((await orgAdmin.goto(`${system.apiUrl}/admin/queues`))?.status()).toBe(403);

    const admin = await newPage();
    await signIn(admin, operatorToken);
    await admin.getByRole("link", { name: /bull-board/ }).click();
    await admin.waitForURL(`${system.apiUrl}/admin/queues**`);
    await admin.getByText("synthetic", { exact: false }).first().waitFor();
    await screenshot(admin, "bull-board-operator");

    // Signing out clears the cookie: bull-board refuses the browser again.
    await admin.goto(`${system.apiUrl}/dashboard/`);
    await admin.getByRole("button", { name: "Sign out" }).click();
    await admin.getByLabel("Access token").waitFor();
    await expect
      .poll(async () => (await admin.context().cookies()).some((c) => c.name === "jobstream_session"), soon)
      .toBe(false);
    expect((await admin.goto(`${system.apiUrl}/admin/queues`))?.status()).toBe(401);
  });

  it("shows stats as charts to an admin, readable at 1280 and 390 px", async () => {
    const page = await newPage();
    await signIn(page, adminToken);
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

import { randomUUID } from "node:crypto";
import type { System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { accessibilityViolations, launchBrowser } from "./browser";

/** How long a page may take to show a change (expect.poll's default is 1 s). */
export const soon = { timeout: 20_000, interval: 100 };

/** Signs in through the form, by keyboard only; `checkAccessibility` runs axe on the form first. */
export async function signIn(sys: System, page: Page, token: string, checkAccessibility = false): Promise<void> {
  await page.goto(`${sys.apiUrl}/`);
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
export async function liveAndListed(page: Page): Promise<void> {
  await page.getByRole("status", { name: "Live updates: open" }).waitFor();
  await page.getByRole("table").or(page.getByText("No jobs match these filters.")).first().waitFor();
}

/** Marks the page's window: the mark survives only if the page is never reloaded. */
export async function markWindow(page: Page, mark: number): Promise<void> {
  await page.evaluate((value) => {
    (window as unknown as { marker: number }).marker = value;
  }, mark);
}
export const windowMark = (page: Page) => page.evaluate(() => (window as unknown as { marker?: number }).marker);

/**
 * A dashboard test file: its own system (API and every worker role, `env` added to theirs), one
 * Chromium, and the callers of one org: members `alice` and `bob`, its `admin`, and a platform
 * `operator`. `newPage` opens a fresh browser profile per call, `signedIn` one signed in on the jobs
 * list; every page is closed after the test, which fails if a page threw.
 */
export function dashboardTestWith(env: { api?: Record<string, string>; worker?: Record<string, string> } = {}) {
  return (
    systemTest(async (sys) => {
      await sys.startApi(env.api);
      await sys.startWorker("work,mirror,housekeep", env.worker);
    })
      // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
      .extend("browser", { scope: "file" }, async ({}, { onCleanup }) => {
        const browser = await launchBrowser();
        onCleanup(() => browser.close());
        return browser;
      })
      .extend("tokens", { scope: "file" }, async ({ sys }) => {
        const org = randomUUID();
        const [alice, bob, admin, operator] = await Promise.all([
          sys.token({ org, sub: randomUUID(), role: "member" }),
          sys.token({ org, sub: randomUUID(), role: "member" }),
          sys.token({ org, role: "admin" }),
          sys.token({ role: "operator" }),
        ]);
        return { org, alice, bob, admin, operator };
      })
      .extend("newPage", ({ browser }, { onCleanup }) => {
        const contexts: { close: () => Promise<void> }[] = [];
        // Uncaught errors in any page: a test that passes while the app threw would hide a bug.
        const pageErrors: string[] = [];
        onCleanup(async () => {
          for (const context of contexts) await context.close();
          expect(pageErrors).toEqual([]);
        });
        return async (width = 1280): Promise<Page> => {
          const context = await browser.newContext({ viewport: { width, height: 900 } });
          contexts.push(context);
          const page = await context.newPage();
          page.setDefaultTimeout(20_000);
          page.on("pageerror", (error) => {
            pageErrors.push(error.message);
          });
          return page;
        };
      })
      /** A fresh page signed in as `token`, on the jobs list with its first page and live stream. */
      .extend("signedIn", ({ sys, newPage }) => async (token: string): Promise<Page> => {
        const page = await newPage();
        await signIn(sys, page, token);
        await liveAndListed(page);
        return page;
      })
  );
}

export const dashboardTest = dashboardTestWith();

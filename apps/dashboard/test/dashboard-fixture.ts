import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { systemTest } from "@jobstream/testing/fixtures";
import { launchBrowser } from "./browser";

/**
 * A browser test file's world: a system (API and workers) per file, `started` a member's token in
 * an org of its own, Chromium, and `signedIn()`: a new page signed in as that member. Errors the
 * pages throw are collected in `pageErrors` (a test expects it empty).
 */
export const dashboardTest = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror,housekeep");
  return sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
})
  // (vitest requires a destructured first argument; the browser needs none of the context.)
  .extend("browser", { scope: "file" }, async ({ servers: _servers }, { onCleanup }) => {
    const browser = await launchBrowser();
    onCleanup(() => browser.close());
    return browser;
  })
  .extend("pageErrors", { scope: "file" }, (): string[] => [])
  .extend("signedIn", { scope: "file" }, ({ browser, sys, started: token, pageErrors }) => async (): Promise<Page> => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(20_000);
    page.on("pageerror", (error) => {
      pageErrors.push(error.message);
    });
    await page.goto(`${sys.apiUrl}/`);
    await page.getByLabel("Access token").fill(token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
    return page;
  });

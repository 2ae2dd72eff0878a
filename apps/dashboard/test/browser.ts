import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { chromiumPath } from "./env";

/** Debian's Chromium (scripts/ensure-chromium.sh installs it); playwright-core never downloads one. */
const executablePath = chromiumPath;

/** The flags the browser tests run Chromium with (Playwright adds a fresh temporary profile). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
}

export const screenshotDir = fileURLToPath(new URL("../test-results/screenshots", import.meta.url));

/** Saves a full-page screenshot as a test artifact (test-results/screenshots/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The accessibility smoke check: every axe-core rule on the current page (names and roles of
 * controls, labels, ARIA, contrast, landmarks, document language and title).
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact ?? "?"}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

/** Every element that can take focus has a role and an accessible name (axe's view of the page). */
export async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator("body").ariaSnapshot();
  return snapshot
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^- (button|link|textbox|combobox|searchbox|checkbox)\s*(:|$)/.test(line));
}

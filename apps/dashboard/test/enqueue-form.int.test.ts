// The enqueue form generated from a type's JSON Schema, and saved searches (metadata) in the URL.
import { describe, expect } from "vitest";
import { accessibilityViolations, screenshot, unnamedControls } from "./browser";
import { dashboardTest as it, liveAndListed, soon } from "./dashboard-fixture";

describe("dashboard enqueue form", () => {
  it("prefills from an example, shows the API's field error beside its field, then enqueues and opens the job", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    const page = await signedIn(tokens.alice);
    await page.getByRole("link", { name: "Enqueue", exact: true }).click();
    await page.getByRole("heading", { name: "Enqueue a job" }).waitFor();
    // Members are offered only what they may enqueue: no system type. The options arrive with
    // GET /v1/job-types, after the heading: wait for them before reading the list.
    const typeOptions = page.getByLabel("Type", { exact: true }).locator("option");
    await typeOptions.filter({ hasText: "synthetic" }).first().waitFor({ state: "attached" });
    const types = await typeOptions.allTextContents();
    expect(types).toContain("synthetic");
    expect(types).not.toContain("maintenance");
    await page.getByLabel("Type", { exact: true }).selectOption("synthetic");
    await page.getByLabel("Subtype", { exact: true }).selectOption("work");
    expect(new URL(page.url()).searchParams.get("type")).toBe("synthetic");
    // Example 2 of synthetic/work: 50 items, steps as JSON.
    await page.getByLabel("Prefill from").selectOption({ label: "example 2" });
    await expect.poll(() => page.getByLabel("items", { exact: true }).inputValue()).toBe("50");
    expect(await page.getByLabel("steps (JSON)").inputValue()).toContain('"fetch"');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await unnamedControls(page)).toEqual([]);

    // A value only the API refuses (the browser's own checks are off): its message under the field.
    const items = page.getByLabel("items", { exact: true });
    await items.fill("-1");
    await page.getByRole("button", { name: "Enqueue job" }).click();
    await expect.poll(() => items.getAttribute("aria-invalid"), soon).toBe("true");
    const describedBy = await items.getAttribute("aria-describedby");
    expect(await page.locator(`[id="${String(describedBy)}"]`).textContent()).toMatch(/0|small|greater/i);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "enqueue-field-error-1280");

    await items.fill("3");
    await page.getByLabel("durationMs", { exact: true }).fill("0");
    await page.getByLabel("Name (optional)").fill("from the form");
    await page.getByLabel("Metadata (JSON object, optional)").fill('{"customer": "acme"}');
    await page.getByRole("button", { name: "Enqueue job" }).click();
    await page.getByRole("heading", { name: "from the form" }).waitFor();
    const id = /\/jobs\/([0-9a-f-]{36})$/.exec(page.url())?.[1];
    expect(id).toBeDefined();
    await sys.waitForStatus(tokens.alice, String(id), "completed");
    const res = await fetch(`${sys.apiUrl}/v1/jobs/${String(id)}`, {
      headers: { authorization: `Bearer ${tokens.alice}` },
    });
    const job = (await res.json()) as { input: unknown; metadata: unknown };
    expect(job.input).toMatchObject({ items: 3, durationMs: 0, steps: ["fetch", "transform", "load"] });
    expect(job.metadata).toEqual({ customer: "acme" });
  });

  it("keeps the jobs list's metadata filter in the URL: the link reproduces the search", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    const acme = await sys.enqueue(tokens.alice, {
      type: "synthetic",
      subtype: "noop",
      name: "acme export",
      input: {},
      metadata: { customer: "acme", region: "eu" },
    });
    const other = await sys.enqueue(tokens.alice, {
      type: "synthetic",
      subtype: "noop",
      name: "globex export",
      input: {},
      metadata: { customer: "globex" },
    });
    const page = await signedIn(tokens.alice);
    await page.locator(`tr[data-job-id="${other.id}"]`).waitFor();
    const metadata = page.getByLabel("Metadata contains (JSON)");
    // Not an object: said beside the field, nothing applied.
    await metadata.fill("acme");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByText("Metadata must be a JSON object").waitFor();
    expect(await metadata.getAttribute("aria-invalid")).toBe("true");
    await metadata.fill('{"customer": "acme"}');
    await page.getByLabel("Search name or job id").fill("export");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("metadata"), soon).toBe('{"customer": "acme"}');
    expect(new URL(page.url()).searchParams.get("q")).toBe("export");
    await page.locator(`tr[data-job-id="${other.id}"]`).waitFor({ state: "detached" });
    await page.locator(`tr[data-job-id="${acme.id}"]`).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    // The same URL in a fresh browser shows the same search, with the form filled in.
    const url = page.url();
    const again = await signedIn(tokens.alice);
    await again.goto(url);
    await liveAndListed(again);
    await again.locator(`tr[data-job-id="${acme.id}"]`).waitFor();
    expect(await again.locator("tr[data-job-id]").count()).toBe(1);
    expect(await again.getByLabel("Metadata contains (JSON)").inputValue()).toBe('{"customer": "acme"}');
  });
});

import { describe, expect } from "vitest";
import { accessibilityViolations, screenshot } from "./browser";
import { dashboardTest as it, soon } from "./dashboard-fixture";

describe("dashboard flow tree", () => {
  it("shows a parent's sub-jobs nested, with statuses, counts and links both ways", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    const token = tokens.alice;
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
    const page = await signedIn(token);
    await page.goto(`${sys.apiUrl}/dashboard/jobs/${parent}`);
    await page.getByRole("heading", { name: "Import catalogue" }).waitFor();

    const tree = page.getByRole("list", { name: "Sub-jobs", exact: true });
    await tree.getByRole("link", { name: "Fetch prices" }).waitFor();
    const nested = page.getByRole("list", { name: "Sub-jobs of Images" });
    await nested.getByRole("link", { name: "Upload" }).waitFor();
    // While Upload runs: the parent waits, its counts say what its children do.
    await expect.poll(() => page.locator(".flow-tree").textContent(), soon).toMatch(/2 sub-jobs: .*1 completed/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "flow-tree");

    await nested.getByRole("link", { name: "Upload" }).click();
    await page.getByRole("heading", { name: "Upload" }).waitFor();
    await page.getByRole("link", { name: "↑ Parent job" }).click();
    await page.getByRole("heading", { name: "Images" }).waitFor();
    await expect.poll(() => page.locator(".flow-tree").textContent(), { timeout: 30_000 }).toContain("2 completed");
  });
});

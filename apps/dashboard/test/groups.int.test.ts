import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { accessibilityViolations, screenshot } from "./browser";
import { dashboardTest as it } from "./dashboard-fixture";

describe("dashboard group page", () => {
  it("opens from a job's group, shows live counts and progress, cancels and retries the group", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    const groupId = `photos 1×3 ${randomUUID()}`;
    const work = { type: "synthetic", subtype: "work", input: { durationMs: 200 } };
    const waiting = { type: "synthetic", subtype: "work", input: {}, delayMs: 3_600_000 };
    const batch = await sys.request<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", {
      token: tokens.alice,
      body: { groupId, jobs: [work, work, waiting] },
    });
    expect(batch.status).toBe(202);
    const first = batch.body.jobs[0]?.job.id ?? "";

    const page = await signedIn(tokens.alice);
    await page.goto(`${sys.apiUrl}/dashboard/jobs/${first}`);
    await page.getByRole("link", { name: groupId }).click();
    await page.getByRole("heading", { name: `Group ${groupId}` }).waitFor();
    const counts = page.getByRole("list", { name: "Jobs per status" });
    await expect.poll(() => counts.textContent()).toBe("delayed 1completed 2");
    await expect
      .poll(() => page.getByRole("progressbar", { name: "Group progress" }).getAttribute("aria-valuenow"))
      .toBe("67");
    await expect.poll(() => page.locator("tbody tr").count()).toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "group");

    await page.getByRole("button", { name: "Cancel group" }).click();
    await page.getByRole("status").filter({ hasText: "Cancelled 1 jobs." }).waitFor();
    await expect.poll(() => counts.textContent()).toBe("completed 2cancelled 1");
    await page.getByRole("button", { name: "Retry failed and cancelled" }).click();
    await page.getByRole("status").filter({ hasText: "Retried 1 jobs." }).waitFor();
    // A retried job keeps its schedule (an hour ahead): the group is unfinished again, its page live again.
    await expect.poll(() => counts.textContent()).toBe("delayed 1completed 2");
    await page.getByText("unfinished", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Cancel group" }).waitFor();
    // (The fixture fails the test if the page threw.)
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});

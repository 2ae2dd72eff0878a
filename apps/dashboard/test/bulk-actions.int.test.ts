// Bulk actions on the jobs list's current filter: a confirmation that counts, then the bulk job.
import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { Page } from "playwright-core";
import { accessibilityViolations, screenshot } from "./browser";
import { dashboardTest as it, liveAndListed, soon } from "./dashboard-fixture";

/** Filters the list through the form by a metadata object. */
async function filterByMetadata(page: Page, metadata: Record<string, string>): Promise<void> {
  await page.getByLabel("Metadata contains (JSON)").fill(JSON.stringify(metadata));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("metadata"), soon).toBe(JSON.stringify(metadata));
  await liveAndListed(page);
}

describe("dashboard bulk actions", () => {
  it("bulk cancel by filter: the dialog counts the matches, only they end cancelled", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    // Two kinds of delayed jobs of one org, from two members; the list will be filtered to kind a.
    const run = randomUUID();
    const job = (kind: string, i: number) => ({
      type: "synthetic",
      subtype: "work",
      name: `kind ${kind} ${String(i)}`,
      input: {},
      delayMs: 3_600_000,
      metadata: { run, kind },
    });
    const kindA = [
      ...(await sys.enqueueMany(tokens.alice, 2, (i) => job("a", i))),
      ...(await sys.enqueueMany(tokens.bob, 1, (i) => job("a", 2 + i))),
    ];
    const kindB = await sys.enqueueMany(tokens.alice, 2, (i) => job("b", i));

    const page = await signedIn(tokens.admin);
    await filterByMetadata(page, { run, kind: "a" });
    for (const id of kindA) await page.locator(`tr[data-job-id="${id}"] .badge`, { hasText: "delayed" }).waitFor();
    expect(await page.locator("tr[data-job-id]").count()).toBe(3);

    await page.getByRole("button", { name: "Cancel matching jobs…" }).click();
    const dialog = page.getByRole("dialog", { name: "Cancel 3 jobs?" });
    await dialog.waitFor();
    expect(await dialog.getByTestId("bulk-matched").textContent()).toBe("3 jobs match the current filter.");
    // Counting acted on nothing.
    expect(await sys.countInStatus([...kindA, ...kindB], "delayed")).toBe(5);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, "bulk-cancel-dialog-1280");

    await dialog.getByRole("button", { name: "Cancel 3 jobs" }).click();
    await dialog.waitFor({ state: "hidden" });
    // The bulk job's progress, live, with a link to its page; the list refreshes when it ends.
    const progress = page.getByRole("region", { name: /Bulk cancel of 3 jobs/ });
    await progress.getByText("completed").waitFor();
    await progress.getByText("Done: 3 acted on, 0 skipped").waitFor();
    expect(
      await progress.getByRole("progressbar", { name: "Bulk action progress" }).getAttribute("aria-valuenow"),
    ).toBe("100");
    for (const id of kindA) await page.locator(`tr[data-job-id="${id}"] .badge`, { hasText: "cancelled" }).waitFor();
    expect(await sys.countInStatus(kindA, "cancelled")).toBe(3);
    expect(await sys.countInStatus(kindB, "delayed")).toBe(2);
    const touched = await sys.query<{ job_id: string }>(
      "SELECT job_id FROM job_events WHERE job_id = ANY($1::uuid[]) AND type = 'cancelled'",
      [kindB],
    );
    expect(touched).toEqual([]);

    const link = progress.getByRole("link", { name: "Bulk cancel of 3 jobs" });
    const bulkId = (await link.getAttribute("href"))?.split("/").at(-1);
    await link.click();
    await page.getByRole("heading", { name: "Bulk cancel of 3 jobs" }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/dashboard/jobs/${String(bulkId)}`);
  });

  it("shows bulk actions only to roles that may act; delete is worded as irreversible", async ({
    sys,
    tokens,
    signedIn,
  }) => {
    const run = randomUUID();
    const [id] = await sys.enqueueMany(tokens.alice, 1, () => ({
      type: "synthetic",
      subtype: "noop",
      input: {},
      metadata: { run },
    }));
    if (id === undefined) throw new Error("nothing enqueued");
    await sys.waitForStatus(tokens.alice, id, "completed");

    const member = await signedIn(tokens.alice);
    await filterByMetadata(member, { run });
    await member.locator(`tr[data-job-id="${id}"]`).waitFor();
    expect(await member.getByRole("group", { name: "Bulk actions on the filtered jobs" }).count()).toBe(0);

    const operator = await signedIn(tokens.operator);
    // Unfiltered, nothing is offered: a bulk action needs a filter.
    expect(await operator.getByRole("button", { name: "Delete matching jobs…" }).isDisabled()).toBe(true);
    await filterByMetadata(operator, { run });
    await operator.getByRole("button", { name: "Delete matching jobs…" }).click();
    const dialog = operator.getByRole("dialog", { name: "Delete 1 job?" });
    await dialog.getByText(/Deleting is irreversible/).waitFor();
    await dialog.getByRole("button", { name: "Delete 1 job permanently" }).waitFor();
    expect(await accessibilityViolations(operator)).toEqual([]);
    await dialog.getByRole("button", { name: "Go back" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect((await sys.job(tokens.alice, id)).status).toBe("completed");
  });
});

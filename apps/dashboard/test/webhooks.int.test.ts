// The webhooks pages: an admin's webhooks, one webhook's deliveries with each attempt's status code
// and latency, and redelivery; members get no link (webhooks are admin-managed).
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect } from "vitest";
import { accessibilityViolations, screenshot, unnamedControls } from "./browser";
import { dashboardTestWith, soon } from "./dashboard-fixture";

// A receiver on 127.0.0.1 (allowed here only); one attempt per delivery until it is redelivered.
const it = dashboardTestWith({
  api: { WEBHOOK_ALLOW_PRIVATE: "true" },
  worker: { WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_MS: "100", WEBHOOK_RETRY_DELAYS_MS: "0,3600000" },
})
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  .extend("receiver", async ({}, { onCleanup }) => {
    /** `failing`: answer 500 (else 204). */
    const state = { failing: true, url: "" };
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(state.failing ? 500 : 204).end());
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    onCleanup(async () => {
      server.close();
      await once(server, "close");
    });
    state.url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}/hook`;
    return state;
  });

describe("dashboard webhooks pages", () => {
  // An admin's view: the org's webhooks, then one webhook's delivery with each attempt.
  it("lists webhooks, shows a delivery's attempts, redelivers it", async ({ sys, tokens, signedIn, receiver }) => {
    const made = await sys.request<{ webhook: { id: string } }>("POST", "/v1/webhooks", {
      token: tokens.admin,
      body: { url: receiver.url, events: ["job.completed"] },
    });
    expect(made.status).toBe(201);
    const hookId = made.body.webhook.id;
    const job = await sys.enqueue(tokens.alice, { type: "synthetic", subtype: "work", name: "hooked", input: {} });
    await sys.waitForStatus(tokens.alice, job.id, "completed");

    const page = await signedIn(tokens.admin);
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("heading", { name: "Webhooks" }).waitFor();
    const row = page.locator(`tr[data-webhook-id="${hookId}"]`);
    await expect.poll(() => row.textContent(), soon).toContain("job.completed");
    expect(await row.textContent()).toContain("enabled");
    expect(await accessibilityViolations(page)).toEqual([]);

    await row.getByRole("link", { name: receiver.url }).click();
    await page.getByRole("heading", { name: "Webhook deliveries" }).waitFor();
    // The one attempt so far: the receiver's 500, with its latency; the next is an hour away.
    const delivery = page.locator("tr[data-delivery-id]");
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole("heading", { name: "Webhook deliveries" }).waitFor();
        return (await delivery.count()) === 1 ? delivery.textContent() : "";
      }, soon)
      .toMatch(/HTTP 500 · \d+ ms/);
    expect(await delivery.locator(".badge").textContent()).toBe("pending");
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await unnamedControls(page)).toEqual([]);
    await screenshot(page, "webhook-deliveries");

    // Redeliver now, to a receiver that accepts: a second attempt, and the delivery succeeded.
    receiver.failing = false;
    await delivery.getByRole("button", { name: /^Redeliver / }).click();
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole("heading", { name: "Webhook deliveries" }).waitFor();
        return delivery.textContent();
      }, soon)
      .toMatch(/succeeded.*HTTP 500 · \d+ ms.*HTTP 204 · \d+ ms/);
    expect(await page.getByRole("alert").count()).toBe(0);
  });

  it("gives members no webhooks link, and the API's refusal if they go there", async ({ tokens, signedIn }) => {
    const page = await signedIn(tokens.alice);
    expect(await page.getByRole("link", { name: "Webhooks" }).count()).toBe(0);
    await page.getByRole("link", { name: "Schedules" }).click();
    await page.getByRole("heading", { name: "Schedules" }).waitFor();
    await page.goto(page.url().replace(/\/schedules$/, "/webhooks"));
    await page.getByRole("alert").filter({ hasText: "Your role may not see this." }).waitFor();
  });
});

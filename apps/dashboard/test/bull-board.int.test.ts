// bull-board from the dashboard: operators only, and signing out closes it.
import { describe, expect } from "vitest";
import { screenshot } from "./browser";
import { dashboardTest as it, soon, signIn } from "./dashboard-fixture";

describe("dashboard bull-board link", () => {
  it("bull-board refuses members, org admins and anonymous callers; opens for a signed-in operator", async ({
    sys,
    tokens,
    newPage,
  }) => {
    const anonymous = await newPage();
    expect((await anonymous.goto(`${sys.apiUrl}/admin/queues`))?.status()).toBe(401);

    const member = await newPage();
    await signIn(sys, member, tokens.alice);
    expect(await member.getByRole("link", { name: /bull-board/ }).count()).toBe(0);
    expect((await member.goto(`${sys.apiUrl}/admin/queues`))?.status()).toBe(403);

    const orgAdmin = await newPage();
    await signIn(sys, orgAdmin, tokens.admin);
    expect(await orgAdmin.getByRole("link", { name: /bull-board/ }).count()).toBe(0);
    expect((await orgAdmin.goto(`${sys.apiUrl}/admin/queues`))?.status()).toBe(403);

    const admin = await newPage();
    await signIn(sys, admin, tokens.operator);
    await admin.getByRole("link", { name: /bull-board/ }).click();
    await admin.waitForURL(`${sys.apiUrl}/admin/queues**`);
    await admin.getByText("synthetic", { exact: false }).first().waitFor();
    await screenshot(admin, "bull-board-operator");

    // Signing out clears the cookie: bull-board refuses the browser again.
    await admin.goto(`${sys.apiUrl}/dashboard/`);
    await admin.getByRole("button", { name: "Sign out" }).click();
    await admin.getByLabel("Access token").waitFor();
    await expect
      .poll(async () => (await admin.context().cookies()).some((c) => c.name === "jobstream_session"), soon)
      .toBe(false);
    expect((await admin.goto(`${sys.apiUrl}/admin/queues`))?.status()).toBe(401);
  });
});

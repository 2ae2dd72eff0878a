// Signing in and out: the form, a sign-in link, and a session the API ends.
import { describe, expect } from "vitest";
import { accessibilityViolations, unnamedControls } from "./browser";
import { dashboardTest as it, soon, signIn, liveAndListed } from "./dashboard-fixture";

describe("dashboard sign-in", () => {
  it("signs in by keyboard, keeps the token out of URLs and in session storage", async ({ sys, tokens, newPage }) => {
    const page = await newPage();
    const urls: string[] = [];
    page.on("request", (req) => urls.push(req.url()));
    await signIn(sys, page, tokens.alice, true);
    expect(page.url()).toBe(`${sys.apiUrl}/dashboard/`);
    expect(await page.evaluate(() => window.sessionStorage.getItem("jobstream.session"))).toContain(tokens.alice);
    expect(urls.filter((u) => u.includes(tokens.alice))).toEqual([]);
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

  it("signs in from a #token= link (as `pnpm start` prints), then takes the token out of the address bar", async ({
    sys,
    tokens,
    newPage,
  }) => {
    const job = await sys.enqueue(tokens.alice, { type: "synthetic", subtype: "work", name: "linked job", input: {} });
    const page = await newPage();
    const urls: string[] = [];
    page.on("request", (req) => urls.push(req.url()));
    await page.goto(`${sys.apiUrl}/dashboard/#token=${tokens.alice}`);
    await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
    await liveAndListed(page);
    await page.locator(`tr[data-job-id="${job.id}"]`).waitFor();
    expect(page.url()).toBe(`${sys.apiUrl}/dashboard/`);
    expect(await page.evaluate(() => window.location.hash)).toBe("");
    expect(await page.evaluate(() => window.sessionStorage.getItem("jobstream.session"))).toContain(tokens.alice);
    // A fragment is never sent to the server; the token went in the Authorization header only.
    expect(urls.filter((u) => u.includes(tokens.alice))).toEqual([]);
    // Reloading the cleaned URL keeps the session (sessionStorage), without the link.
    await page.reload();
    await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
  });

  it("says how to get a token, and why a bad sign-in link failed", async ({ sys, newPage }) => {
    const page = await newPage();
    await page.goto(`${sys.apiUrl}/dashboard/#token=not-a-jwt`);
    await page.getByRole("alert").or(page.getByText("The sign-in link did not work")).first().waitFor();
    expect(await page.locator("main").textContent()).toMatch(/The sign-in link did not work: .*\(unauthorized\)/);
    expect(await page.locator("main").textContent()).toContain("pnpm token");
    expect(await page.locator("main").textContent()).toContain("pnpm start");
    expect(page.url()).toBe(`${sys.apiUrl}/dashboard/`);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("ends the session when the API answers 401 to the jobs client (a revoked token)", async ({ tokens, signedIn }) => {
    const page = await signedIn(tokens.alice);
    await page.evaluate(() => {
      const stored = JSON.parse(window.sessionStorage.getItem("jobstream.session") ?? "{}") as object;
      window.sessionStorage.setItem("jobstream.session", JSON.stringify({ ...stored, token: "revoked" }));
    });
    // The jobs page reads only through @jobstream/client and its hooks: their 401 must sign out.
    await page.reload();
    await page.getByText("Your session ended; sign in again.").waitFor();
    expect(await page.evaluate(() => window.sessionStorage.getItem("jobstream.session"))).toBeNull();
  });
});

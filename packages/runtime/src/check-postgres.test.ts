import { describe, expect, it } from "vitest";
import { checkPostgres } from "./readiness";

// The probe is the app's (it asks Postgres through @jobstream/db); this is how its report becomes a state.
describe("checkPostgres", () => {
  it("is ok when the probe answers with every migration applied", async () => {
    expect(await checkPostgres(() => Promise.resolve({ ok: true, pendingMigrations: [] }), 1000)).toEqual({
      state: "ok",
    });
  });

  it("names pending migrations", async () => {
    const probe = () => Promise.resolve({ ok: false, pendingMigrations: ["20261129_x"] });
    expect(await checkPostgres(probe, 1000)).toEqual({ state: "migrations_pending", pending: ["20261129_x"] });
  });

  it("is down with the probe's error, even when it also lists no migrations", async () => {
    const probe = () => Promise.resolve({ ok: false, pendingMigrations: [], error: "connect ECONNREFUSED" });
    expect(await checkPostgres(probe, 1000)).toEqual({ state: "down", error: "connect ECONNREFUSED" });
  });

  it("is down when the probe throws", async () => {
    const probe = () => Promise.reject(new Error("boom"));
    expect(await checkPostgres(probe, 1000)).toEqual({ state: "down", error: "boom" });
  });

  it("is down when the probe does not answer in time", async () => {
    const probe = () => new Promise<never>(() => undefined);
    expect(await checkPostgres(probe, 20)).toEqual({ state: "down", error: "timed out after 20 ms" });
  });
});

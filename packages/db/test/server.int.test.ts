import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDatabase, postgresAnswers, withDatabase } from "../src/server";
import { ADMIN_URL } from "./env";

const name = `jobstream_server_${randomBytes(6).toString("hex")}`;
const url = withDatabase(ADMIN_URL, name);

afterAll(async () => {
  // Only the database this file created.
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
});

describe("server helpers (the launcher's)", () => {
  it("creates a missing database once, and it then answers", async () => {
    expect(await postgresAnswers(url)).toBe(false);
    expect(await ensureDatabase(url)).toBe(true);
    expect(await ensureDatabase(url)).toBe(false);
    expect(await postgresAnswers(url)).toBe(true);
  });

  it("says a server that does not listen does not answer, without throwing", async () => {
    const nowhere = new URL(ADMIN_URL);
    nowhere.port = "1";
    expect(await postgresAnswers(nowhere.toString(), 500)).toBe(false);
  });
});

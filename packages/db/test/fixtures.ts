import { randomUUID } from "node:crypto";
import type { Db, Prisma } from "../src/index";

export function newJob(overrides: Partial<Prisma.JobCreateManyInput> = {}): Prisma.JobCreateManyInput {
  return {
    id: randomUUID(),
    orgId: randomUUID(),
    type: "synthetic",
    subtype: "work",
    name: "test job",
    queue: "synthetic",
    maxAttempts: 3,
    input: {},
    retentionSeconds: 86_400,
    ...overrides,
  };
}

/** Runs a raw statement and returns the Postgres error code it failed with, or null. */
export async function sqlState(db: Db, sql: string, ...values: unknown[]): Promise<string | null> {
  try {
    await db.$executeRawUnsafe(sql, ...values);
    return null;
  } catch (error) {
    // Prisma wraps the driver error; the SQLSTATE is the one fact worth asserting on.
    const code = /originalCode":"([0-9A-Z]{5})"/.exec(JSON.stringify(error));
    return code?.[1] ?? String(error);
  }
}

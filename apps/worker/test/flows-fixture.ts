import { expect } from "vitest";
import type { System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

// Shared by the flows tests (flows.int.test.ts: how flows run; flows-control.int.test.ts: acting on
// them and refusing bad ones): a system with every worker role, and readers of flows and their rows.

export const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror,housekeep");
});

/** `POST /v1/jobs`'s answer for a flow: the job and, nested, its children's. */
export interface Answer {
  job: { id: string; status: string };
  children?: Answer[];
}

export interface Row {
  id: string;
  status: string;
  started: Date | null;
  finished: Date | null;
  output: unknown;
  error_code: string | null;
  error_message: string | null;
}

/** Enqueues one flow (a job with `children`); expects 202. */
export async function enqueueFlow(sys: System, token: string, body: Record<string, unknown>): Promise<Answer> {
  const res = await sys.request<Answer>("POST", "/v1/jobs", { token, body });
  expect(res.status).toBe(202);
  return res.body;
}

/** The jobs' rows by id: status, when they started and finished, output and error. */
export async function rows(sys: System, ids: string[]): Promise<Map<string, Row>> {
  const found = await sys.query<Row>(
    `SELECT id::text, status::text, started_at AS started, coalesce(completed_at, cancelled_at) AS finished,
            output, error_code, error_message
     FROM jobs WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(found.map((r) => [r.id, r]));
}

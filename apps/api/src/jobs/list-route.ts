import { Router } from "express";
import { listActiveJobs, listJobs, type JobCursor } from "@jobstream/db";
import { principalOf } from "../auth/authenticate";
import { scopeOf } from "../auth/scope";
import { parseOr400 } from "../http/validate";
import type { ReadRouting } from "../replica/read-routing";
import { decodeJobCursor, encodeJobCursor } from "./cursor";
import { toJobSummary, type JobSummary } from "./job-view";
import { listFilterOf } from "./list-filter";
import { activeQuerySchema, listQuerySchema } from "./schemas";

/** `GET /v1/jobs` (filters, keyset pages) and `GET /v1/jobs/active` (the "active jobs" widget). */
export function listRouter(deps: { readonly reads: ReadRouting }): Router {
  const router = Router();

  router.get("/v1/jobs", async (req, res) => {
    const q = parseOr400(listQuerySchema, req.query);
    const scope = scopeOf(principalOf(req), q.orgId);
    const filter = listFilterOf(q);
    const after = q.cursor !== undefined ? decodeJobCursor(q.cursor) : undefined;
    const include = new Set(q.include ?? []);
    // Summaries unless the caller names the payload fields: those are read only then (smaller page cap).
    let jobs: JobSummary[];
    let next: JobCursor | null;
    if (include.size === 0) {
      const page = await deps.reads.read(req, (r) => listJobs(r.pool, scope, filter, { limit: q.limit, after }));
      next = page.next;
      jobs = page.jobs.map(toJobSummary);
    } else {
      const full = await deps.reads.read(req, (r) =>
        listJobs(r.pool, scope, filter, { limit: q.limit, after, withData: true }),
      );
      next = full.next;
      jobs = full.jobs.map((job) => ({
        ...toJobSummary(job),
        ...(include.has("input") ? { input: job.input } : {}),
        ...(include.has("output") ? { output: job.output } : {}),
      }));
    }
    res.json({ jobs, nextCursor: next ? encodeJobCursor(next) : null });
  });

  router.get("/v1/jobs/active", async (req, res) => {
    const q = parseOr400(activeQuerySchema, req.query);
    const scope = scopeOf(principalOf(req), q.orgId);
    const jobs = await deps.reads.read(req, (r) => listActiveJobs(r.pool, scope, q));
    res.json({ jobs: jobs.map(toJobSummary), running: jobs.filter((j) => j.status === "running").length });
  });
  return router;
}

import { isFinalJob, type JobStatus, type JobSummary } from "@jobstream/client";

/** What `useJobs` lists: the filters of `GET /v1/jobs` that a job's summary can be checked against. */
export interface JobsFilter {
  status?: JobStatus | readonly JobStatus[];
  type?: string;
  subtype?: string;
  groupId?: string;
  parentId?: string;
  /** A schedule's runs. */
  scheduleId?: string;
  /** Summaries do not carry the user: with this filter, jobs that appear live are not added. */
  userId?: string;
  /** Search in names (case-insensitive). */
  q?: string;
  /**
   * Jobs whose metadata contains this object. Summaries do not carry metadata: with this filter,
   * jobs that appear live are not added (rows shown still update).
   */
  metadata?: Readonly<Record<string, unknown>>;
}

/** Where jobs that appear after the list loaded go: at the top of `rows`, or into `incoming`. */
export type NewJobs = "insert" | "announce";

/** A list of jobs, newest first, as pages and live changes build it. */
export interface JobListState {
  readonly rows: readonly JobSummary[];
  readonly nextCursor: string | null;
  /** Jobs newer than every row that appeared since the list loaded, when `NewJobs` is "announce". */
  readonly incoming: readonly JobSummary[];
}

/** Whether a job (first seen live) belongs in a list with these filters. */
export function matchesFilter(job: JobSummary, filter: JobsFilter): boolean {
  if (filter.type !== undefined && job.type !== filter.type) return false;
  if (filter.subtype !== undefined && job.subtype !== filter.subtype) return false;
  if (filter.status !== undefined) {
    const statuses: readonly string[] = typeof filter.status === "string" ? [filter.status] : filter.status;
    if (!statuses.includes(job.status)) return false;
  }
  if (filter.groupId !== undefined && job.groupId !== filter.groupId) return false;
  if (filter.parentId !== undefined && job.parentId !== filter.parentId) return false;
  if (filter.scheduleId !== undefined && job.scheduleId !== filter.scheduleId) return false;
  if (filter.q !== undefined && !job.name.toLowerCase().includes(filter.q.toLowerCase())) return false;
  return filter.userId === undefined && filter.metadata === undefined;
}

/** Newest first, as the API lists: by creation, then id. */
function newerFirst(a: JobSummary, b: JobSummary): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * The latest moment of its life a state records. Summaries carry no version, so this is how a
 * state read by a request is told apart from an older one that a stream delivered meanwhile.
 */
function lastMoment(job: JobSummary): string {
  let latest = job.createdAt;
  for (const at of [job.queuedAt, job.startedAt, job.completedAt, job.cancelledAt]) {
    if (at !== null && at > latest) latest = at;
  }
  return latest;
}

/** Whether `incoming` is not an earlier state of the same job than `current` (ties: it is not). */
export function isNotOlder(incoming: JobSummary, current: JobSummary): boolean {
  return lastMoment(incoming) >= lastMoment(current);
}

export function listFromPage(page: { jobs: readonly JobSummary[]; nextCursor: string | null }): JobListState {
  return { rows: page.jobs, nextCursor: page.nextCursor, incoming: [] };
}

/**
 * One job's new state: a row shown (or announced) is replaced; a job that matches the filters and
 * is newer than every row is added (`insert`) or announced (`announce`); anything else (an older
 * job on a page not loaded, one the filters exclude) is ignored. A row that stops matching the
 * filters stays, updated, so the list does not shift under the reader.
 */
export function applyChange(
  state: JobListState,
  job: JobSummary,
  filter: JobsFilter,
  newJobs: NewJobs,
  onlyIfNotOlder = false,
): JobListState {
  const replace = (list: readonly JobSummary[]) => {
    const at = list.findIndex((row) => row.id === job.id);
    if (at === -1) return null;
    const current = list[at];
    if (current === undefined || (onlyIfNotOlder && !isNotOlder(job, current))) return list;
    return list.map((row, i) => (i === at ? job : row));
  };
  const rows = replace(state.rows);
  if (rows !== null) return rows === state.rows ? state : { ...state, rows };
  const incoming = replace(state.incoming);
  if (incoming !== null) return incoming === state.incoming ? state : { ...state, incoming };
  if (!matchesFilter(job, filter)) return state;
  const newest = state.rows[0];
  // An empty list with more pages cannot tell where the job belongs; a full last page can.
  if (newest === undefined ? state.nextCursor !== null : newerFirst(job, newest) >= 0) return state;
  if (newJobs === "announce") return { ...state, incoming: [job, ...state.incoming] };
  return { ...state, rows: [job, ...state.rows].sort(newerFirst) };
}

/** Several changes in the order they happened. */
export function applyChanges(
  state: JobListState,
  jobs: readonly JobSummary[],
  filter: JobsFilter,
  newJobs: NewJobs,
  onlyIfNotOlder = false,
): JobListState {
  return jobs.reduce((list, job) => applyChange(list, job, filter, newJobs, onlyIfNotOlder), state);
}

/**
 * A freshly read first page, with the changes streamed while it was read: they are applied only
 * where they are not older than what the page shows (the page may have been read after them).
 */
export function settleFirstPage(
  page: { jobs: readonly JobSummary[]; nextCursor: string | null },
  heldChanges: readonly JobSummary[],
  filter: JobsFilter,
  newJobs: NewJobs,
): JobListState {
  return applyChanges(listFromPage(page), heldChanges, filter, newJobs, true);
}

/** A further page appended (jobs already shown are not repeated). */
export function appendPage(
  state: JobListState,
  page: { jobs: readonly JobSummary[]; nextCursor: string | null },
): JobListState {
  const shown = new Set([...state.rows, ...state.incoming].map((row) => row.id));
  return {
    ...state,
    rows: [...state.rows, ...page.jobs.filter((job) => !shown.has(job.id))],
    nextCursor: page.nextCursor,
  };
}

/** The announced jobs join the rows. */
export function showIncoming(state: JobListState): JobListState {
  if (state.incoming.length === 0) return state;
  return { ...state, rows: [...state.incoming, ...state.rows].sort(newerFirst), incoming: [] };
}

/** The active jobs (`GET /v1/jobs/active` and live changes): unfinished, and finished recently. */
export type ActiveJobsState = ReadonlyMap<string, JobSummary>;

function finishedAt(job: JobSummary): string | null {
  return isFinalJob(job) ? (job.completedAt ?? job.cancelledAt ?? job.createdAt) : null;
}

/** Drops finished jobs older than `keepFinishedMs`, so the set stays as small as the work in flight. */
export function pruneActive(jobs: ActiveJobsState, now: number, keepFinishedMs: number): ActiveJobsState {
  let next: Map<string, JobSummary> | null = null;
  for (const [id, job] of jobs) {
    const at = finishedAt(job);
    if (at === null || Date.parse(at) >= now - keepFinishedMs) continue;
    next ??= new Map(jobs);
    next.delete(id);
  }
  return next ?? jobs;
}

/** A job's new state: added or replaced, then the set pruned. */
export function applyActiveChange(
  jobs: ActiveJobsState,
  job: JobSummary,
  now: number,
  keepFinishedMs: number,
  onlyIfNotOlder = false,
): ActiveJobsState {
  const current = jobs.get(job.id);
  if (current !== undefined && onlyIfNotOlder && !isNotOlder(job, current)) return jobs;
  return pruneActive(new Map(jobs).set(job.id, job), now, keepFinishedMs);
}

/** The set as a list, newest first, with the counts a header widget shows. */
export function activeSummary(jobs: ActiveJobsState): { jobs: JobSummary[]; running: number; waiting: number } {
  const list = [...jobs.values()].sort(newerFirst);
  const running = list.filter((job) => job.status === "running").length;
  const waiting = list.filter((job) => !isFinalJob(job) && job.status !== "running").length;
  return { jobs: list, running, waiting };
}

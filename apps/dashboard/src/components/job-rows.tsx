import type { JobSummary } from "@jobstream/client";
import type { JobsState } from "@jobstream/react";
import { formatDuration, formatTime } from "../format";
import { NameCell, type ListView } from "./list-shell";
import { ProgressBar } from "./progress-bar";
import { StatusBadge } from "./status-badge";

/** The columns of a list of jobs (the jobs page, a group's page). */
export const JOB_COLUMNS = ["Name", "Type", "Status", "Progress", "Created", "Duration"];

/** One job as a row linking to its page. */
export const jobRow = (job: JobSummary) => (
  <tr key={job.id} data-job-id={job.id}>
    <NameCell to={`/jobs/${job.id}`} name={job.name} id={job.id} />
    <td>
      {job.type}
      {job.subtype !== null && <span className="muted">/{job.subtype}</span>}
    </td>
    <td>
      <StatusBadge status={job.status} />
    </td>
    <td>
      <ProgressBar compact percent={job.progress.percent} label={`Progress of ${job.name}`} />
    </td>
    <td>{formatTime(job.createdAt)}</td>
    <td>{formatDuration(job.durationMs)}</td>
  </tr>
);

/** A live list of jobs (`useJobs`) as `ListShell` shows it. */
export function jobsListView(jobs: JobsState): ListView<JobSummary> {
  return {
    // A failed poll while rows are shown passes with the next one; only a list that could not load is an error.
    load:
      jobs.data !== undefined
        ? { state: "ready", data: jobs.data }
        : jobs.error !== undefined
          ? { state: "error", error: jobs.error }
          : { state: "loading" },
    rows: jobs.data ?? [],
    hasMore: jobs.hasMore,
    loadingMore: jobs.loadingMore,
    moreError: jobs.moreError ?? null,
    loadMore: jobs.loadMore,
    reload: jobs.reload,
  };
}

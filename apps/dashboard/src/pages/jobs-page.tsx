import type { JobStatus, JobSummary } from "@jobstream/client";
import { useJobs, useJobstreamClient, type JobsFilter } from "@jobstream/react";
import { queryString } from "../api/client";
import { ProgressBar } from "../components/progress-bar";
import { ListShell, NameCell, type ListView } from "../components/list-shell";
import { StatusBadge } from "../components/status-badge";
import { formatDuration, formatTime } from "../format";
import { navigate } from "../router";
import { useLoad } from "../use-load";
import { JobFilters, filtersFrom, type Filters } from "./job-filters";

/** The URL's filters as the list asks the API for them (an unknown status is the API's to refuse). */
function listFilter(filters: Filters): JobsFilter {
  const { status, ...rest } = filters;
  return status === undefined ? rest : { ...rest, status: status as JobStatus };
}

const COLUMNS = ["Name", "Type", "Status", "Progress", "Created", "Duration"];

const jobRow = (job: JobSummary) => (
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

/** Every job the caller may see, newest first, filtered; rows update live (`useJobs`). */
export function JobsPage({ search }: { search: URLSearchParams }) {
  const jobstream = useJobstreamClient();
  const filters = filtersFrom(search);
  const key = queryString(filters);
  const types = useLoad("types", (signal) => jobstream.jobTypes({ signal }));
  // New jobs are offered with a button rather than shifting the list under the reader.
  const jobs = useJobs(listFilter(filters), { newJobs: "announce", pageSize: 50 });
  const newJobs = jobs.incoming.length;
  const list: ListView<JobSummary> = {
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

  const applyFilters = (next: Filters) => {
    navigate(`/jobs${queryString(next)}`, { replace: true });
  };

  return (
    <section aria-labelledby="jobs-heading">
      <h1 id="jobs-heading">Jobs</h1>
      <JobFilters
        key={key}
        filters={filters}
        types={types.load.state === "ready" ? types.load.data.jobTypes.map((t) => t.type) : []}
        onApply={applyFilters}
        onOpenJob={(id) => {
          navigate(`/jobs/${id}`);
        }}
      />
      {newJobs > 0 && (
        <button type="button" className="banner" onClick={jobs.showIncoming}>
          {newJobs} new {newJobs === 1 ? "job" : "jobs"} — show
        </button>
      )}
      <ListShell list={list} what="jobs" empty="No jobs match these filters." columns={COLUMNS} row={jobRow} />
    </section>
  );
}

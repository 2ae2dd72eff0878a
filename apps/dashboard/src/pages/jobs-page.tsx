import { useEffect, useRef, useState } from "react";
import { queryString } from "../api/client";
import type { JobSummary } from "../api/types";
import { ProgressBar } from "../components/progress-bar";
import { Empty, ErrorBox, LoadMore, Loading, TableHead } from "../components/states";
import { StatusBadge } from "../components/status-badge";
import { useApp, useJobChanges } from "../context";
import { formatDuration, formatTime, shortId } from "../format";
import { Link, navigate } from "../router";
import { useLoad, usePaged } from "../use-load";
import { JobFilters, filtersFrom, type Filters } from "./job-filters";

function matches(job: JobSummary, filters: Filters): boolean {
  if (filters.type !== undefined && job.type !== filters.type) return false;
  if (filters.subtype !== undefined && job.subtype !== filters.subtype) return false;
  if (filters.status !== undefined && job.status !== filters.status) return false;
  if (filters.groupId !== undefined && job.groupId !== filters.groupId) return false;
  if (filters.q !== undefined && !job.name.toLowerCase().includes(filters.q.toLowerCase())) return false;
  return filters.userId === undefined;
}

/** Every job the caller may see, newest first, filtered; rows update live from the stream. */
export function JobsPage({ search }: { search: URLSearchParams }) {
  const { client } = useApp();
  const filters = filtersFrom(search);
  const key = queryString(filters);
  // Ids, not a count: a new job announces itself as pending and then as queued.
  const [newJobs, setNewJobs] = useState<ReadonlySet<string>>(new Set());
  const types = useLoad("types", (signal) => client.get<{ jobTypes: { type: string }[] }>("/v1/job-types", signal));
  // Changes that arrive while a page loads are applied once it is shown: a change older than
  // the page is followed by the newer ones, so the rows converge; dropping them could not.
  const held = useRef<JobSummary[]>([]);
  const { load, rows, nextCursor, loadMore, loadingMore, moreError, reload, updateRows } = usePaged(key, async (cursor, signal) => {
    if (cursor === null) {
      setNewJobs(new Set());
      held.current = [];
    }
    const page = await client.get<{ jobs: JobSummary[]; nextCursor: string | null }>(`/v1/jobs${queryString({ ...filters, limit: 50, cursor })}`, signal);
    return { rows: page.jobs, nextCursor: page.nextCursor };
  });

  const apply = (job: JobSummary, shown: readonly JobSummary[]) => {
    if (shown.some((j) => j.id === job.id)) {
      updateRows((current) => current.map((j) => (j.id === job.id ? job : j)));
    } else if (matches(job, filters) && (shown.length === 0 || job.createdAt > (shown[0]?.createdAt ?? ""))) {
      // Newer than the newest row shown, whatever state it is first seen in (fast jobs may
      // already be running or done): offered with a button rather than shifting the list.
      setNewJobs((ids) => new Set(ids).add(job.id));
    }
  };
  useJobChanges((job) => {
    if (load.state === "ready") apply(job, rows);
    else held.current.push(job);
  });
  useEffect(() => {
    if (load.state !== "ready" || held.current.length === 0) return;
    const jobs = held.current;
    held.current = [];
    for (const job of jobs) apply(job, load.data.rows);
    // Runs when a page arrives; `apply` only reads what that page holds.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load]);

  const applyFilters = (next: Filters) => {
    navigate(`/jobs${queryString(next)}`, { replace: true });
  };

  return (
    <section aria-labelledby="jobs-heading">
      <h1 id="jobs-heading">Jobs</h1>
      <JobFilters key={key} filters={filters} types={types.load.state === "ready" ? types.load.data.jobTypes.map((t) => t.type) : []} onApply={applyFilters} onOpenJob={(id) => { navigate(`/jobs/${id}`); }} />
      {newJobs.size > 0 && (
        <button type="button" className="banner" onClick={reload}>
          {newJobs.size} new {newJobs.size === 1 ? "job" : "jobs"} — show
        </button>
      )}
      {load.state === "loading" && <Loading what="jobs" />}
      {load.state === "error" && <ErrorBox error={load.error} onRetry={reload} />}
      {load.state === "ready" && rows.length === 0 && <Empty>No jobs match these filters.</Empty>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="jobs-table">
            <TableHead hiddenCaption caption="Jobs, newest first" columns={["Name", "Type", "Status", "Progress", "Created", "Duration"]} />
            <tbody>
              {rows.map((job) => (
                <tr key={job.id} data-job-id={job.id}>
                  <td>
                    <Link to={`/jobs/${job.id}`}>{job.name}</Link>
                    <div className="muted mono">{shortId(job.id)}</div>
                  </td>
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
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore nextCursor={nextCursor} loading={loadingMore} error={moreError} onLoad={loadMore} what="jobs" />
    </section>
  );
}

import { useState } from "react";
import { queryString } from "../api/client";
import type { JobView } from "../api/types";
import { ProgressBar } from "../components/progress-bar";
import { Empty, ErrorBox, Loading } from "../components/states";
import { StatusBadge } from "../components/status-badge";
import { useApp, useJobChanges } from "../context";
import { formatDuration, formatTime, shortId } from "../format";
import { Link, navigate } from "../router";
import { useLoad } from "../use-load";
import { JobFilters, filtersFrom, type Filters } from "./job-filters";

interface ListPage {
  jobs: JobView[];
  nextCursor: string | null;
}

function matches(job: JobView, filters: Filters): boolean {
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
  const [more, setMore] = useState<{ key: string; jobs: JobView[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [newJobs, setNewJobs] = useState(0);
  const types = useLoad("types", (signal) => client.get<{ jobTypes: { type: string }[] }>("/v1/job-types", signal));
  const { load, reload, update } = useLoad(key, async (signal) => {
    setNewJobs(0);
    return client.get<ListPage>(`/v1/jobs${queryString({ ...filters, limit: 50 })}`, signal);
  });

  const first = load.state === "ready" ? load.data : null;
  const extra = more?.key === key ? more : null;
  const rows = first === null ? [] : [...first.jobs, ...(extra?.jobs ?? [])];
  const nextCursor = extra !== null ? extra.nextCursor : (first?.nextCursor ?? null);

  useJobChanges((job) => {
    if (first === null) return;
    const replace = (jobs: JobView[]) => jobs.map((j) => (j.id === job.id ? job : j));
    if (first.jobs.some((j) => j.id === job.id)) {
      update((page) => ({ ...page, jobs: replace(page.jobs) }));
    } else if (extra?.jobs.some((j) => j.id === job.id) === true) {
      setMore((m) => (m === null ? m : { ...m, jobs: replace(m.jobs) }));
    } else if ((job.status === "pending" || job.status === "queued") && matches(job, filters)) {
      setNewJobs((n) => n + 1);
    }
  });

  const loadMore = async () => {
    if (nextCursor === null) return;
    setLoadingMore(true);
    try {
      const page = await client.get<ListPage>(`/v1/jobs${queryString({ ...filters, limit: 50, cursor: nextCursor })}`);
      setMore({ key, jobs: [...(extra?.jobs ?? []), ...page.jobs], nextCursor: page.nextCursor });
    } finally {
      setLoadingMore(false);
    }
  };

  const apply = (next: Filters) => {
    navigate(`/jobs${queryString(next)}`, { replace: true });
  };

  return (
    <section aria-labelledby="jobs-heading">
      <h1 id="jobs-heading">Jobs</h1>
      <JobFilters key={key} filters={filters} types={types.load.state === "ready" ? types.load.data.jobTypes.map((t) => t.type) : []} onApply={apply} onOpenJob={(id) => { navigate(`/jobs/${id}`); }} />
      {newJobs > 0 && (
        <button type="button" className="banner" onClick={() => { setMore(null); reload(); }}>
          {newJobs} new {newJobs === 1 ? "job" : "jobs"} — show
        </button>
      )}
      {load.state === "loading" && <Loading what="jobs" />}
      {load.state === "error" && <ErrorBox error={load.error} onRetry={reload} />}
      {load.state === "ready" && rows.length === 0 && <Empty>No jobs match these filters.</Empty>}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="jobs-table">
            <caption className="visually-hidden">Jobs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Created</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
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
      {nextCursor !== null && (
        <button type="button" className="secondary" disabled={loadingMore} onClick={() => void loadMore()}>
          {loadingMore ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}

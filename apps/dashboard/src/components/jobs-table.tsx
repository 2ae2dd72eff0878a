import type { JobSummary } from "@jobstream/client";
import type { JobsState } from "@jobstream/react";
import { formatDuration, formatTime, shortId } from "../format";
import { Link } from "../router";
import { ProgressBar } from "./progress-bar";
import { Empty, ErrorBox, LoadMore, Loading, TableHead } from "./states";
import { StatusBadge } from "./status-badge";

/** A live list of jobs (`useJobs`): loading and error states, the rows, and "load more". */
export function JobsList({ jobs, caption, empty }: { jobs: JobsState; caption: string; empty: string }) {
  const rows = jobs.data ?? [];
  return (
    <>
      {jobs.loading && <Loading what="jobs" />}
      {/* A failed poll while rows are shown passes with the next one; only a list that could not load is an error. */}
      {jobs.error !== undefined && jobs.data === undefined && <ErrorBox error={jobs.error} onRetry={jobs.reload} />}
      {jobs.data !== undefined && rows.length === 0 && <Empty>{empty}</Empty>}
      {rows.length > 0 && <JobsTable jobs={rows} caption={caption} />}
      <LoadMore
        hasMore={jobs.hasMore}
        loading={jobs.loadingMore}
        error={jobs.moreError ?? null}
        onLoad={jobs.loadMore}
        what="jobs"
      />
    </>
  );
}

/** Jobs as rows linking to their pages. */
function JobsTable({ jobs, caption }: { jobs: readonly JobSummary[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="jobs-table">
        <TableHead
          hiddenCaption
          caption={caption}
          columns={["Name", "Type", "Status", "Progress", "Created", "Duration"]}
        />
        <tbody>
          {jobs.map((job) => (
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
  );
}

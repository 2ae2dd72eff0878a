import type { JobSummary } from "@jobstream/client";
import { formatDuration, formatTime, shortId } from "../format";
import { Link } from "../router";
import { ProgressBar } from "./progress-bar";
import { TableHead } from "./states";
import { StatusBadge } from "./status-badge";

/** Jobs as rows linking to their pages (the jobs list, a group's page). */
export function JobsTable({ jobs, caption }: { jobs: readonly JobSummary[]; caption: string }) {
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

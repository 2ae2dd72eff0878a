import { isFinalJob } from "@jobstream/client";
import { useJob } from "@jobstream/react";
import { DetailLayout } from "../components/detail-layout";
import { ProgressBar } from "../components/progress-bar";
import { LoadingOrError } from "../components/states";
import { StatusBadge } from "../components/status-badge";
import { formatDuration, formatTime, json } from "../format";
import { groupPath, Link } from "../router";
import { useTitle } from "../use-title";
import { FlowTree } from "./flow-tree";
import { ItemsTable } from "./items-table";
import { JobActions } from "./job-actions";
import { Timeline } from "./timeline";

/** One job: live progress (`useJob`), steps, items, error and the actions the caller may take. */
export function JobDetail({ id }: { id: string }) {
  // Its own stream: the current state, then each change until it is final (polled when the
  // stream cannot be held). A retried job is followed again once `mutate` shows it unfinished.
  const { data: job, error, mutate } = useJob(id);
  useTitle(job?.name ?? null);

  if (job === undefined) return <LoadingOrError what="the job" error={error} />;
  // The timeline and items reload when the status or the step changes, not on every percent.
  const refreshKey = `${job.status}|${job.progress.step ?? ""}|${String(job.attempts)}|${String(isFinalJob(job))}`;

  return (
    <DetailLayout
      headingId="job-heading"
      heading={job.name}
      aside={
        <>
          <StatusBadge status={job.status} />
          <JobActions job={job} onChanged={mutate} />
        </>
      }
    >
      <section aria-label="Progress" className="panel">
        <ProgressBar percent={job.progress.percent} label="Job progress" />
        <p className="progress-text" aria-live="polite">
          {job.progress.step !== null && (
            <>
              Step <strong>{job.progress.step}</strong>
              {job.progress.message !== null &&
                job.progress.message !== job.progress.step &&
                ` — ${job.progress.message}`}
            </>
          )}
          {job.progress.step === null && (job.progress.message ?? "No progress message yet.")}
        </p>
        <p className="muted">
          Items: {job.items.processed} of {job.items.total || "?"} processed, {job.items.failed} failed,{" "}
          {job.items.skipped} skipped
        </p>
      </section>
      {job.error !== null && (
        <section className="error-box" aria-label="Error">
          <p>
            <code>{job.error.code}</code> {job.error.message}
          </p>
          {job.error.stack !== undefined && (
            <details>
              <summary>Stack</summary>
              <pre>{job.error.stack}</pre>
            </details>
          )}
        </section>
      )}
      <dl className="facts">
        <dt>Id</dt>
        <dd className="mono">{job.id}</dd>
        <dt>Type</dt>
        <dd>
          {job.type}
          {job.subtype !== null && `/${job.subtype}`}
        </dd>
        <dt>Attempts</dt>
        <dd>
          {job.attempts} of {job.maxAttempts}
        </dd>
        <dt>Priority</dt>
        <dd>{job.priority}</dd>
        <dt>Group</dt>
        <dd>{job.groupId === null ? "—" : <Link to={groupPath(job.groupId)}>{job.groupId}</Link>}</dd>
        <dt>Created</dt>
        <dd>{formatTime(job.createdAt)}</dd>
        <dt>Started</dt>
        <dd>{formatTime(job.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(job.completedAt ?? job.cancelledAt)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(job.durationMs)}</dd>
      </dl>
      <FlowTree jobId={job.id} parentId={job.parentId} final={isFinalJob(job)} />
      <Timeline jobId={job.id} refreshKey={refreshKey} />
      <ItemsTable jobId={job.id} refreshKey={refreshKey} processed={job.items.processed} />
      <details className="panel">
        <summary>Input, output and metadata</summary>
        <div className="side-by-side">
          <div>
            <h3>Input</h3>
            <pre>{json(job.input)}</pre>
          </div>
          <div>
            <h3>Output</h3>
            <pre>{json(job.output)}</pre>
          </div>
          <div>
            <h3>Metadata</h3>
            <pre>{json(job.metadata)}</pre>
          </div>
        </div>
      </details>
    </DetailLayout>
  );
}

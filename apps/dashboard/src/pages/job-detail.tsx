import { useEffect, useRef, useState } from "react";
import { followStream } from "../api/event-stream";
import { isFinal, type JobView } from "../api/types";
import { ProgressBar } from "../components/progress-bar";
import { ErrorBox, Loading } from "../components/states";
import { StatusBadge } from "../components/status-badge";
import { useApp } from "../context";
import { formatDuration, formatTime, json } from "../format";
import { Link } from "../router";
import { useLoad } from "../use-load";
import { ItemsTable } from "./items-table";
import { JobActions } from "./job-actions";
import { Timeline } from "./timeline";

/** One job: live progress, steps, items, error and the actions the caller may take. */
export function JobDetail({ id }: { id: string }) {
  const { client } = useApp();
  const [streamRun, setStreamRun] = useState(0);
  const { load, reload, update } = useLoad(id, (signal) => client.get<JobView>(`/v1/jobs/${id}`, signal));
  const ready = load.state === "ready";
  const lastStatus = useRef<JobView["status"]>("pending");
  if (load.state === "ready") lastStatus.current = load.data.status;
  const name = load.state === "ready" ? load.data.name : null;
  useEffect(() => {
    if (name !== null) document.title = `${name} — Jobstream`;
  }, [name]);

  // The job's own stream: its current state, then each change until it is final. A stream that
  // ends before that (its API process stopped) is resumed from the last version seen.
  useEffect(() => {
    if (!ready) return;
    const abort = new AbortController();
    void followStream(`/v1/jobs/${id}/stream`, {
      authorization: client.authorization,
      signal: abort.signal,
      reconnectOnEnd: () => !isFinal(lastStatus.current),
      onEvent: (data) => {
        const job = JSON.parse(data) as JobView;
        lastStatus.current = job.status;
        update(() => job);
      },
    });
    return () => {
      abort.abort();
    };
  }, [id, client, ready, streamRun, update]);

  if (load.state === "loading") return <Loading what="the job" />;
  if (load.state === "error") return <ErrorBox error={load.error} onRetry={reload} />;
  const job = load.data;
  // The timeline and items reload when the status or the step changes, not on every percent.
  const refreshKey = `${job.status}|${job.progress.step ?? ""}|${String(job.attempts)}|${String(isFinal(job.status))}`;

  return (
    <article aria-labelledby="job-heading" className="job-detail">
      <p>
        <Link to="/jobs">← All jobs</Link>
      </p>
      <header className="job-head">
        <h1 id="job-heading">{job.name}</h1>
        <StatusBadge status={job.status} />
        <JobActions
          job={job}
          onChanged={(next) => {
            update(() => next);
            // A retried job runs again: follow its new stream.
            setStreamRun((n) => n + 1);
          }}
        />
      </header>
      <section aria-label="Progress" className="panel">
        <ProgressBar percent={job.progress.percent} label="Job progress" />
        <p className="progress-text" aria-live="polite">
          {job.progress.step !== null && (
            <>
              Step <strong>{job.progress.step}</strong>
              {job.progress.message !== null && job.progress.message !== job.progress.step && ` — ${job.progress.message}`}
            </>
          )}
          {job.progress.step === null && (job.progress.message ?? "No progress message yet.")}
        </p>
        <p className="muted">
          Items: {job.items.processed} of {job.items.total || "?"} processed, {job.items.failed} failed, {job.items.skipped} skipped
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
        <dd>{job.groupId ?? "—"}</dd>
        <dt>Created</dt>
        <dd>{formatTime(job.createdAt)}</dd>
        <dt>Started</dt>
        <dd>{formatTime(job.startedAt)}</dd>
        <dt>Finished</dt>
        <dd>{formatTime(job.completedAt ?? job.cancelledAt)}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(job.durationMs)}</dd>
      </dl>
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
    </article>
  );
}

import type { ChildSummary, JobSummary } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { useEffect, useId, useState } from "react";
import { LoadMore, LoadStatus } from "../components/states";
import { ProgressBar } from "../components/progress-bar";
import { StatusBadge } from "../components/status-badge";
import { Link } from "../router";
import { useLoad, usePaged, useReloadOn } from "../use-load";

/** "3 completed, 1 running" from a children summary. */
function countsText(summary: ChildSummary): string {
  return Object.entries(summary.counts)
    .map(([status, n]) => `${String(n)} ${status.replace("_", " ")}`)
    .join(", ");
}

/** How often an unfinished flow's tree is read again (its children change while the parent waits). */
const REFRESH_MS = 2000;

/**
 * The job's place in its flow: a link to its parent, and its sub-jobs as a tree (status, progress,
 * a link each); sub-jobs with sub-jobs of their own open into their children. Read again every few
 * seconds until the job is final (its own stream does not carry its children's changes).
 */
export function FlowTree({ jobId, parentId, final }: { jobId: string; parentId: string | null; final: boolean }) {
  const id = useId();
  const jobstream = useJobstreamClient();
  const { load, reload } = useLoad(jobId, (signal) => jobstream.jobs.get(jobId, { signal }));
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (final) return;
    const timer = setInterval(() => {
      setTick((t) => t + 1);
    }, REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [final]);
  const refreshKey = `${String(tick)}|${String(final)}`;
  useReloadOn(refreshKey, reload);
  const summary = load.state === "ready" ? load.data.children : undefined;
  if (parentId === null && summary === undefined) return null;
  return (
    <section aria-labelledby={`${id}-heading`} className="panel flow-tree">
      <div className="panel-head">
        <h2 id={`${id}-heading`}>Flow</h2>
        {parentId !== null && <Link to={`/jobs/${parentId}`}>↑ Parent job</Link>}
      </div>
      {summary !== undefined && (
        <>
          <ProgressBar percent={summary.progress} label="Sub-jobs progress" />
          <p className="muted">
            {summary.total} sub-job{summary.total === 1 ? "" : "s"}: {countsText(summary)}
          </p>
          <ChildList jobId={jobId} refreshKey={refreshKey} label="Sub-jobs" />
        </>
      )}
    </section>
  );
}

function ChildList({ jobId, refreshKey, label }: { jobId: string; refreshKey: string; label: string }) {
  const jobstream = useJobstreamClient();
  const { load, rows, nextCursor, loadMore, loadingMore, moreError, reload } = usePaged(
    jobId,
    async (cursor, signal) => {
      const page = await jobstream.jobs.children(jobId, { limit: 100, cursor: cursor ?? undefined }, { signal });
      return { rows: page.jobs, nextCursor: page.nextCursor };
    },
  );
  useReloadOn(refreshKey, reload);
  return (
    <>
      <LoadStatus load={load} what="sub-jobs" onRetry={reload} />
      <ul className="flow-children" aria-label={label}>
        {rows.map((child) => (
          <ChildNode key={child.id} child={child} refreshKey={refreshKey} />
        ))}
      </ul>
      <LoadMore
        hasMore={nextCursor !== null}
        loading={loadingMore}
        error={moreError}
        onLoad={loadMore}
        what="sub-jobs"
      />
    </>
  );
}

function ChildNode({ child, refreshKey }: { child: JobSummary; refreshKey: string }) {
  return (
    <li>
      <div className="flow-node">
        <StatusBadge status={child.status} />
        <Link to={`/jobs/${child.id}`}>{child.name}</Link>
        <ProgressBar percent={child.progress.percent} label={`Progress of ${child.name}`} compact />
      </div>
      {child.children !== undefined && (
        <details open>
          <summary>
            {child.children.total} sub-jobs: {countsText(child.children)}
          </summary>
          <ChildList
            jobId={child.id}
            refreshKey={`${refreshKey}|${child.status}`}
            label={`Sub-jobs of ${child.name}`}
          />
        </details>
      )}
    </li>
  );
}

import type { JobEventView } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { Empty, LoadStatus } from "../components/states";
import { formatTime } from "../format";
import { useLoad, useReloadOn } from "../use-load";

function detail(event: JobEventView): string {
  const d: Partial<Record<string, unknown>> = typeof event.data === "object" && event.data !== null ? event.data : {};
  const parts: string[] = [];
  for (const key of ["step", "attempt", "message", "code", "reason"]) {
    const value = d[key];
    if (typeof value === "string" || typeof value === "number")
      parts.push(key === "step" ? String(value) : `${key} ${String(value)}`);
  }
  return parts.join(" · ");
}

/** The job's timeline (created, queued, started, each step, retries, the outcome). */
export function Timeline({ jobId, refreshKey }: { jobId: string; refreshKey: string }) {
  const jobstream = useJobstreamClient();
  const { load, reload } = useLoad(jobId, (signal) => jobstream.jobs.events(jobId, { signal }));
  useReloadOn(refreshKey, reload);
  return (
    <section aria-labelledby="timeline-heading" className="panel">
      <h2 id="timeline-heading">Timeline</h2>
      <LoadStatus load={load} what="timeline" onRetry={reload} />
      {load.state === "ready" && load.data.events.length === 0 && <Empty>No events yet.</Empty>}
      {load.state === "ready" && load.data.events.length > 0 && (
        <ol className="timeline">
          {load.data.events
            .filter((e) => e.type !== "progress")
            .map((event, i) => (
              <li key={`${event.at}-${String(i)}`} className={`tl-${event.type}`}>
                <span className="tl-type">{event.type}</span> <span className="tl-detail">{detail(event)}</span>{" "}
                <time dateTime={event.at} className="muted">
                  {formatTime(event.at)}
                </time>
              </li>
            ))}
        </ol>
      )}
    </section>
  );
}

import { useEffect, useId, useRef, useState } from "react";
import { isFinal, type JobSummary } from "../api/types";
import { useApp, useJobChanges } from "../context";
import { Link } from "../router";
import { useLoad } from "../use-load";
import { ProgressBar } from "./progress-bar";
import { StatusBadge } from "./status-badge";

/** Keeps a map of unfinished jobs: a finished one leaves it, so it stays as small as the work in flight. */
function withChange(jobs: ReadonlyMap<string, JobSummary>, job: JobSummary): Map<string, JobSummary> {
  const next = new Map(jobs);
  if (isFinal(job.status)) next.delete(job.id);
  else next.set(job.id, job);
  return next;
}

/** The "1 running" counter: the caller's unfinished jobs, kept live by the shared stream. */
export function ActiveWidget() {
  const { client } = useApp();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const [jobs, setJobs] = useState(new Map<string, JobSummary>());
  const { load } = useLoad("active", async (signal) => {
    const body = await client.get<{ jobs: JobSummary[] }>("/v1/jobs/active", signal);
    setJobs((current) => {
      let next = new Map(body.jobs.filter((j) => !isFinal(j.status)).map((j) => [j.id, j]));
      // Changes that arrived while the list loaded are newer than it.
      for (const job of arrived.current) next = withChange(next, job);
      arrived.current = [];
      return new Map([...next, ...current]);
    });
    return body;
  });
  const arrived = useRef<JobSummary[]>([]);
  useJobChanges((job) => {
    if (load.state === "loading") arrived.current.push(job);
    setJobs((current) => withChange(current, job));
  });
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => { document.removeEventListener("keydown", onKey); };
  }, [open]);

  const all = [...jobs.values()];
  const running = all.filter((j) => j.status === "running").length;
  const waiting = all.filter((j) => j.status === "pending" || j.status === "queued" || j.status === "delayed").length;
  const shown = all.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 10);
  const label = load.state === "loading" ? "…" : `${String(running)} running`;

  return (
    <div className="active-widget">
      <button ref={button} type="button" className="active-button" aria-expanded={open} aria-controls={panelId} onClick={() => { setOpen(!open); }}>
        <span className={running > 0 ? "pulse" : "idle"} aria-hidden="true" />
        <span data-testid="active-running">{label}</span>
        {waiting > 0 && <span className="muted"> · {waiting} waiting</span>}
      </button>
      {open && (
        <div id={panelId} className="active-panel" role="region" aria-label="Active jobs">
          {load.state === "error" && <p className="state">Could not load active jobs.</p>}
          {shown.length === 0 ? (
            <p className="state empty">Nothing running or waiting.</p>
          ) : (
            <ul>
              {shown.map((job) => (
                <li key={job.id}>
                  <Link to={`/jobs/${job.id}`} onClickCapture={() => { setOpen(false); }}>
                    {job.name}
                  </Link>{" "}
                  <StatusBadge status={job.status} />
                  <ProgressBar compact percent={job.progress.percent} label={`Progress of ${job.name}`} />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

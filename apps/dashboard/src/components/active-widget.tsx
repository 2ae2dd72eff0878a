import { isFinalJob } from "@jobstream/client";
import type { ActiveJobsResult } from "@jobstream/react";
import { useEffect, useId, useRef, useState } from "react";
import { Link } from "../router";
import { ProgressBar } from "./progress-bar";
import { StatusBadge } from "./status-badge";

/** The "1 running" counter: the caller's unfinished jobs (`useActiveJobs`, kept live by the shared stream). */
export function ActiveWidget({ active }: { active: ActiveJobsResult }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  // Finished jobs leave the widget at once (the hook keeps them a few minutes for other uses).
  const shown = (active.data ?? []).filter((job) => !isFinalJob(job)).slice(0, 10);
  const label = active.loading ? "…" : `${String(active.running)} running`;

  return (
    <div className="active-widget">
      <button
        ref={button}
        type="button"
        className="active-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => {
          setOpen(!open);
        }}
      >
        <span className={active.running > 0 ? "pulse" : "idle"} aria-hidden="true" />
        <span data-testid="active-running">{label}</span>
        {active.waiting > 0 && <span className="muted"> · {active.waiting} waiting</span>}
      </button>
      {open && (
        <div id={panelId} className="active-panel" role="region" aria-label="Active jobs">
          {active.error !== undefined && <p className="state">Could not load active jobs.</p>}
          {shown.length === 0 ? (
            <p className="state empty">Nothing running or waiting.</p>
          ) : (
            <ul>
              {shown.map((job) => (
                <li key={job.id}>
                  <Link
                    to={`/jobs/${job.id}`}
                    onClickCapture={() => {
                      setOpen(false);
                    }}
                  >
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

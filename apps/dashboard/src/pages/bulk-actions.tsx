import { isFinalJob, type BulkFilter } from "@jobstream/client";
import { useJob, useJobstreamClient } from "@jobstream/react";
import { useEffect, useRef, useState } from "react";
import { ProgressBar } from "../components/progress-bar";
import { ErrorBox } from "../components/states";
import { StatusBadge } from "../components/status-badge";
import { Link } from "../router";
import { BulkConfirm, type BulkAction } from "./bulk-confirm";

const ACTIONS: readonly { action: BulkAction; label: string; danger: boolean }[] = [
  { action: "cancel", label: "Cancel matching jobs…", danger: false },
  { action: "retry", label: "Retry matching jobs…", danger: false },
  { action: "delete", label: "Delete matching jobs…", danger: true },
];

/** A bulk job started from this page: its id and how many jobs it matched when it started. */
interface Started {
  readonly id: string;
  readonly action: BulkAction;
  readonly matched: number;
}

/**
 * Cancel, retry or delete every job the list's current filter matches (`POST /v1/jobs/bulk`): a
 * dialog first states how many jobs match (a dry run), the action runs only once confirmed, then
 * the bulk job's progress shows here and `onFinished` refreshes the list. `filter` is undefined
 * when the list is unfiltered: acting on every job in scope is not offered here.
 */
export function BulkActions({ filter, onFinished }: { filter: BulkFilter | undefined; onFinished: () => void }) {
  const [asked, setAsked] = useState<BulkAction | null>(null);
  const [started, setStarted] = useState<Started | null>(null);
  return (
    <div className="bulk-actions">
      <div role="group" aria-label="Bulk actions on the filtered jobs" className="bulk-buttons">
        {ACTIONS.map(({ action, label, danger }) => (
          <button
            key={action}
            type="button"
            className={danger ? "danger" : "secondary"}
            disabled={filter === undefined}
            onClick={() => {
              setAsked(action);
            }}
          >
            {label}
          </button>
        ))}
        {filter === undefined && <span className="muted">Filter the list to act on every matching job at once.</span>}
      </div>
      {asked !== null && filter !== undefined && (
        <BulkDialog
          action={asked}
          filter={filter}
          onClose={() => {
            setAsked(null);
          }}
          onStarted={(bulk) => {
            setAsked(null);
            setStarted({ ...bulk, action: asked });
          }}
        />
      )}
      {started !== null && <BulkProgress key={started.id} started={started} onFinished={onFinished} />}
    </div>
  );
}

/** The modal confirmation: counts the matches (dry run), then starts the bulk job on "confirm". */
function BulkDialog({
  action,
  filter,
  onClose,
  onStarted,
}: {
  action: BulkAction;
  filter: BulkFilter;
  onClose: () => void;
  onStarted: (bulk: { id: string; matched: number }) => void;
}) {
  const jobs = useJobstreamClient().jobs;
  const dialog = useRef<HTMLDialogElement>(null);
  const [matched, setMatched] = useState<number | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    // showModal: focus moves into the dialog, the page behind it is inert, Escape closes it.
    dialog.current?.showModal();
    const controller = new AbortController();
    jobs.bulkDryRun(action, filter, { signal: controller.signal }).then(
      (answer) => {
        setMatched(answer.matched);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof Error ? e : new Error(String(e)));
      },
    );
    return () => {
      controller.abort();
    };
  }, [jobs, action, filter]);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      onStarted(await jobs.bulk(action, filter));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      setBusy(false);
    }
  };
  return (
    <dialog
      ref={dialog}
      className="bulk-dialog"
      aria-labelledby="bulk-dialog-title"
      aria-describedby="bulk-dialog-count"
      onClose={onClose}
    >
      <BulkConfirm
        action={action}
        matched={matched}
        busy={busy}
        onConfirm={() => void confirm()}
        onDismiss={() => dialog.current?.close()}
      />
      {error !== null && <ErrorBox error={error} />}
    </dialog>
  );
}

/** The running bulk job, live: status, progress and a link to its page; the list refreshes when it ends. */
function BulkProgress({ started, onFinished }: { started: Started; onFinished: () => void }) {
  const { data: job, error } = useJob(started.id);
  const finished = job !== undefined && isFinalJob(job);
  // Once per bulk job, whatever `onFinished`'s identity on later renders.
  const told = useRef(false);
  useEffect(() => {
    if (!finished || told.current) return;
    told.current = true;
    onFinished();
  }, [finished, onFinished]);
  const output = job?.output as { done?: number; skipped?: number } | undefined;
  return (
    <section className="bulk-progress panel" aria-labelledby="bulk-progress-title">
      <h2 id="bulk-progress-title">
        <Link to={`/jobs/${started.id}`}>
          Bulk {started.action} of {started.matched} {started.matched === 1 ? "job" : "jobs"}
        </Link>{" "}
        {job !== undefined && <StatusBadge status={job.status} />}
      </h2>
      {job !== undefined && <ProgressBar percent={job.progress.percent} label="Bulk action progress" />}
      {job?.progress.message != null && <p className="muted">{job.progress.message}</p>}
      {job?.status === "completed" && output !== undefined && (
        <p role="status">
          Done: {output.done ?? 0} acted on, {output.skipped ?? 0} skipped (the action did not apply to them).
        </p>
      )}
      {error !== undefined && <ErrorBox error={error} />}
    </section>
  );
}

export type BulkAction = "cancel" | "retry" | "delete";

/** What each action does to the matched jobs, said before the count is confirmed. */
const WORDING: Record<BulkAction, { verb: string; note: string }> = {
  cancel: {
    verb: "Cancel",
    note: "Unfinished jobs are cancelled (running ones stop when their handler notices); finished ones are skipped.",
  },
  retry: {
    verb: "Retry",
    note: "Failed and cancelled jobs run again; the others are skipped.",
  },
  delete: {
    verb: "Delete",
    note:
      "Deleting is irreversible: the finished jobs are removed for good with their items and timelines, " +
      "and cannot be restored. Unfinished jobs are skipped.",
  },
};

const jobsWord = (n: number) => `${String(n)} ${n === 1 ? "job" : "jobs"}`;

/**
 * The confirmation dialog's content: how many jobs the current filter matches (undefined while the
 * dry run counts them), what the action will do to them, and the buttons to go ahead or back.
 */
export function BulkConfirm({
  action,
  matched,
  busy,
  onConfirm,
  onDismiss,
}: {
  action: BulkAction;
  matched: number | undefined;
  busy: boolean;
  onConfirm: () => void;
  onDismiss: () => void;
}) {
  const { verb, note } = WORDING[action];
  const nothing = matched === 0;
  return (
    <>
      <h2 id="bulk-dialog-title">
        {verb} {matched === undefined ? "matching jobs" : jobsWord(matched)}?
      </h2>
      <p id="bulk-dialog-count" aria-live="polite" data-testid="bulk-matched">
        {matched === undefined
          ? "Counting the jobs that match the current filter…"
          : nothing
            ? "No jobs match the current filter: there is nothing to do."
            : `${jobsWord(matched)} match the current filter.`}
      </p>
      {!nothing && <p className={action === "delete" ? "bulk-warning" : "muted"}>{note}</p>}
      <div className="bulk-dialog-buttons">
        {!nothing && (
          <button
            type="button"
            className={action === "delete" ? "danger" : undefined}
            disabled={matched === undefined || busy}
            onClick={onConfirm}
          >
            {matched === undefined ? verb : `${verb} ${jobsWord(matched)}`}
            {action === "delete" ? " permanently" : ""}
          </button>
        )}
        <button type="button" className="secondary" disabled={busy} onClick={onDismiss}>
          {nothing ? "Close" : "Go back"}
        </button>
      </div>
    </>
  );
}

import { isFinalJob, type JobView } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { useState } from "react";
import { ErrorBox } from "../components/states";

/**
 * Cancel while the job is unfinished, retry once it failed or was cancelled. A signed-in caller
 * may act on every job it can see (members see only their own), so the status decides.
 */
export function JobActions({ job, onChanged }: { job: JobView; onChanged: (job: JobView) => void }) {
  const jobstream = useJobstreamClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const act = async (action: "cancel" | "retry") => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await (action === "cancel" ? jobstream.jobs.cancel(job.id) : jobstream.jobs.retry(job.id)));
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const canCancel = !isFinalJob(job);
  const canRetry = job.status === "failed" || job.status === "cancelled";
  return (
    <div className="job-actions">
      {canCancel && (
        <button type="button" className="danger" disabled={busy} onClick={() => void act("cancel")}>
          Cancel job
        </button>
      )}
      {canRetry && (
        <button type="button" disabled={busy} onClick={() => void act("retry")}>
          Retry job
        </button>
      )}
      {error !== null && <ErrorBox error={error} />}
    </div>
  );
}

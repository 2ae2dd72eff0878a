import { useState } from "react";
import { isFinal, type JobView } from "../api/types";
import { ErrorBox } from "../components/states";
import { useApp } from "../context";

/**
 * Cancel while the job is unfinished, retry once it failed or was cancelled. A signed-in caller
 * may act on every job it can see (members see only their own), so the status decides.
 */
export function JobActions({ job, onChanged }: { job: JobView; onChanged: (job: JobView) => void }) {
  const { client } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const act = async (action: "cancel" | "retry") => {
    setBusy(true);
    setError(null);
    try {
      onChanged((await client.post<{ job: JobView }>(`/v1/jobs/${job.id}/${action}`)).job);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const canCancel = !isFinal(job.status);
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

import { jobStatuses, type GroupView } from "@jobstream/client";
import { useJobs, useJobstreamClient } from "@jobstream/react";
import { useState } from "react";
import { DetailLayout } from "../components/detail-layout";
import { JOB_COLUMNS, jobRow, jobsListView } from "../components/job-rows";
import { ListShell } from "../components/list-shell";
import { ProgressBar } from "../components/progress-bar";
import { ErrorBox, LoadingOrError } from "../components/states";
import { StatusBadge } from "../components/status-badge";
import { formatTime } from "../format";
import { useTitle } from "../use-title";
import { useGroup } from "./use-group";

/** Cancel while any job is unfinished, retry once any failed or was cancelled (each job the caller may act on). */
function GroupActions({ group, onChanged }: { group: GroupView; onChanged: (group: GroupView) => void }) {
  const jobstream = useJobstreamClient();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const act = async (action: "cancel" | "retry") => {
    setBusy(true);
    setError(null);
    try {
      const answer = await jobstream.groups[action](group.id);
      const stopping = answer.stopping > 0 ? `, ${String(answer.stopping)} stopping` : "";
      setOutcome(`${action === "cancel" ? "Cancelled" : "Retried"} ${String(answer.done)} jobs${stopping}.`);
      onChanged(answer.group);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const { counts } = group;
  const unfinished = counts.pending + counts.queued + counts.delayed + counts.waiting_children + counts.running;
  return (
    <div className="job-actions">
      {unfinished > 0 && (
        <button type="button" className="danger" disabled={busy} onClick={() => void act("cancel")}>
          Cancel group
        </button>
      )}
      {counts.failed + counts.cancelled > 0 && (
        <button type="button" disabled={busy} onClick={() => void act("retry")}>
          Retry failed and cancelled
        </button>
      )}
      {outcome !== null && (
        <p className="muted" role="status">
          {outcome}
        </p>
      )}
      {error !== null && <ErrorBox error={error} />}
    </div>
  );
}

/** One group: live counts per status and aggregate progress (its stream), its jobs, group actions. */
export function GroupPage({ id }: { id: string }) {
  const { group, error, follow } = useGroup(id);
  const jobs = useJobs({ groupId: id }, { pageSize: 50 });
  useTitle(`Group ${id}`);

  if (group === undefined) return <LoadingOrError what="the group" error={error} />;
  return (
    <DetailLayout
      headingId="group-heading"
      heading={
        <>
          Group <span className="mono">{group.id}</span>
        </>
      }
      aside={
        <>
          <StatusBadge status={group.finishedAt === null ? "unfinished" : "finished"} />
          <GroupActions group={group} onChanged={follow} />
        </>
      }
    >
      <section aria-label="Progress" className="panel">
        <ProgressBar percent={group.progress} label="Group progress" />
        <p className="progress-text" aria-live="polite">
          {group.total} {group.total === 1 ? "job" : "jobs"}
          {group.finishedAt === null ? ", not all finished yet" : `, all final since ${formatTime(group.finishedAt)}`}
        </p>
        <ul className="group-counts" aria-label="Jobs per status">
          {jobStatuses
            .filter((status) => group.counts[status] > 0)
            .map((status) => (
              <li key={status} data-status={status}>
                <StatusBadge status={status} /> {group.counts[status]}
              </li>
            ))}
        </ul>
        <p className="muted">Started {formatTime(group.createdAt)}</p>
      </section>
      <ListShell
        list={jobsListView(jobs)}
        what="jobs"
        caption={`Jobs of group ${group.id}, newest first`}
        empty="No jobs to show."
        columns={JOB_COLUMNS}
        row={jobRow}
      />
    </DetailLayout>
  );
}

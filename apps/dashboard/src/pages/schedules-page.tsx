import type { ScheduleView } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { ListShell, NameCell } from "../components/list-shell";
import { ActionButton } from "../components/action-button";
import { formatTime } from "../format";
import { Link } from "../router";
import { useApiList } from "../use-load";

function timing(s: ScheduleView): string {
  if (s.cron !== null) return `cron ${s.cron}${s.timezone === "UTC" ? "" : ` (${s.timezone})`}`;
  const ms = s.everyMs ?? 0;
  return ms % 60_000 === 0 ? `every ${String(ms / 60_000)} min` : `every ${String(ms / 1000)} s`;
}

/** Pause or resume one schedule; the row shows the schedule as the API answered. */
function PauseButton({ schedule, onChanged }: { schedule: ScheduleView; onChanged: (s: ScheduleView) => void }) {
  const api = useJobstreamClient().schedules;
  const label = schedule.paused ? "Resume" : "Pause";
  return (
    <ActionButton
      label={label}
      name={`${label} ${schedule.name}`}
      run={() => (schedule.paused ? api.resume(schedule.id) : api.pause(schedule.id))}
      onDone={onChanged}
    />
  );
}

const COLUMNS = ["Name", "Job", "When", "Last run", "Next run", "State"];

function ScheduleRow({ s, onChanged: replace }: { s: ScheduleView; onChanged: (s: ScheduleView) => void }) {
  return (
    <tr data-schedule-id={s.id}>
      <NameCell to={`/jobs?scheduleId=${s.id}`} name={s.name} id={s.id} />
      <td>
        {s.job.type}
        <span className="muted">/{s.job.subtype}</span>
      </td>
      <td>{timing(s)}</td>
      <td>{s.lastJobId === null ? "–" : <Link to={`/jobs/${s.lastJobId}`}>{formatTime(s.lastRunAt)}</Link>}</td>
      <td>{s.paused ? "paused" : formatTime(s.nextRunAt)}</td>
      <td>
        <PauseButton schedule={s} onChanged={replace} />
      </td>
    </tr>
  );
}

/** The schedules the caller may see, newest first, with their last and next run and pause/resume. */
export function SchedulesPage() {
  const jobstream = useJobstreamClient();
  const list = useApiList("schedules", jobstream.schedules.list);
  const replace = (changed: ScheduleView) => {
    list.updateRows((rows) => rows.map((r) => (r.id === changed.id ? changed : r)));
  };
  const row = (s: ScheduleView) => <ScheduleRow key={s.id} s={s} onChanged={replace} />;
  return (
    <section aria-labelledby="schedules-heading">
      <h1 id="schedules-heading">Schedules</h1>
      <ListShell list={list} what="schedules" empty="No schedules yet." columns={COLUMNS} row={row} />
    </section>
  );
}

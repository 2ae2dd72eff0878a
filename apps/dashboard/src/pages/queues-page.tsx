import type { QueueView } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { ActionButton } from "../components/action-button";
import { DataTable } from "../components/list-shell";
import { PageHead } from "../components/page-head";
import { Empty, LoadStatus } from "../components/states";
import { useApp } from "../context";
import { roleAccess } from "../role-access";
import { formatTime } from "../format";
import { Link } from "../router";
import { useLoad } from "../use-load";

const COLUMNS = ["Queue", "State", "Waiting", "Active", "Delayed", "Failed", "Workers", "Finished / min", "Control"];

const figure = (n: number | undefined | null) => (n === undefined || n === null ? "—" : String(n));

function QueueRow({
  q,
  canControl,
  onChanged,
}: {
  q: QueueView;
  canControl: boolean;
  onChanged: (q: QueueView) => void;
}) {
  const api = useJobstreamClient().queues;
  const label = q.paused ? "Resume" : "Pause";
  const c = q.counts;
  return (
    <tr data-queue={q.name}>
      <th scope="row">
        <Link to={`/jobs?type=${encodeURIComponent(q.name)}`}>{q.name}</Link>
      </th>
      <td>
        {q.paused ? <strong className="paused">paused</strong> : "running"}
        {q.changedAt !== null && <div className="muted">since {formatTime(q.changedAt)}</div>}
      </td>
      <td>{c === null ? "—" : figure(c.waiting + c.prioritized)}</td>
      <td>{figure(c?.active)}</td>
      <td>{figure(c?.delayed)}</td>
      <td>{figure(c?.failed)}</td>
      <td>{figure(q.workers)}</td>
      <td>
        {q.ratePerMinute.completed.toFixed(1)} completed · {q.ratePerMinute.failed.toFixed(1)} failed
      </td>
      <td>
        {canControl ? (
          <ActionButton
            label={label}
            name={`${label} queue ${q.name}`}
            run={async () => (await (q.paused ? api.resume(q.name) : api.pause(q.name))).queue}
            onDone={onChanged}
          />
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}

/**
 * The queues every org shares (`GET /v1/queues`: operators and services): depths, paused state,
 * workers and finish rate; operators pause and resume them.
 */
export function QueuesPage() {
  const jobstream = useJobstreamClient();
  const { session } = useApp();
  const { load, reload, update } = useLoad("queues", (signal) => jobstream.queues.list({ signal }));
  const replace = (changed: QueueView) => {
    update((data) => ({ queues: data.queues.map((q) => (q.name === changed.name ? changed : q)) }));
  };
  return (
    <section aria-labelledby="queues-heading">
      <PageHead id="queues-heading" refreshLabel="Refresh queues" onRefresh={reload}>
        Queues
      </PageHead>
      <p className="muted">Queues are shared by every org. A paused queue starts no new jobs; running ones finish.</p>
      <LoadStatus load={load} what="queues" onRetry={reload} />
      {load.state === "ready" && load.data.queues.length === 0 && <Empty>No queues.</Empty>}
      {load.state === "ready" && (
        <DataTable
          rows={load.data.queues}
          caption="Queues"
          hiddenCaption
          className="queues-table"
          columns={COLUMNS}
          row={(q) => (
            <QueueRow key={q.name} q={q} canControl={roleAccess(session.role).queueControls} onChanged={replace} />
          )}
        />
      )}
    </section>
  );
}

import type { WebhookDelivery } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { ActionButton } from "../components/action-button";
import { ListShell } from "../components/list-shell";
import { LoadStatus } from "../components/states";
import { StatusBadge } from "../components/status-badge";
import { formatDuration, formatTime, shortId } from "../format";
import { Link } from "../router";
import { useApiList, useLoad } from "../use-load";
import { webhookState } from "./webhooks-page";

/** One attempt as a reader scans it: the HTTP status (or why there was none) and how long it took. */
function attemptText(attempt: WebhookDelivery["attemptLog"][number]): string {
  const answer = attempt.statusCode === null ? (attempt.error ?? "no answer") : `HTTP ${String(attempt.statusCode)}`;
  return `${answer} · ${formatDuration(attempt.latencyMs)}`;
}

const COLUMNS = ["Delivery", "Job", "Status", "Attempts", "Next attempt", "Action"];
const EMPTY = "No deliveries yet: one is sent when a job of the org ends with an event this webhook asks for.";

/** One delivery: its job, status, every attempt, and a Redeliver button (the row then shows the answer). */
function DeliveryRow({ d, onChanged: replace }: { d: WebhookDelivery; onChanged: (d: WebhookDelivery) => void }) {
  const jobstream = useJobstreamClient();
  return (
    <tr data-delivery-id={d.id}>
      <td>
        <span className="mono">{shortId(d.id)}</span>
        <div className="muted">{d.event}</div>
      </td>
      <td>
        <Link to={`/jobs/${d.jobId}`}>{shortId(d.jobId)}</Link>
      </td>
      <td>
        <StatusBadge status={d.status} />
      </td>
      <td>
        <ol className="attempts" aria-label={`Attempts of delivery ${shortId(d.id)}`}>
          {d.attemptLog.map((a) => (
            <li key={a.at} title={formatTime(a.at)}>
              {attemptText(a)}
            </li>
          ))}
        </ol>
      </td>
      <td>{d.nextAttemptAt === null ? "–" : formatTime(d.nextAttemptAt)}</td>
      <td>
        <ActionButton
          label="Redeliver"
          name={`Redeliver ${shortId(d.id)}`}
          run={() => jobstream.webhooks.redeliver(d.webhookId, d.id)}
          onDone={replace}
        />
      </td>
    </tr>
  );
}

/** A webhook and its deliveries, newest first: every attempt's status code and latency, and redelivery. */
export function WebhookPage({ id }: { id: string }) {
  const jobstream = useJobstreamClient();
  const hook = useLoad(`webhook ${id}`, (signal) => jobstream.webhooks.get(id, { signal }));
  const list = useApiList(
    "deliveries",
    (page, extras) => jobstream.webhooks.deliveries(id, page, extras),
    `deliveries ${id}`,
  );
  const replace = (changed: WebhookDelivery) => {
    list.updateRows((rows) => rows.map((r) => (r.id === changed.id ? changed : r)));
  };
  const row = (d: WebhookDelivery) => <DeliveryRow key={d.id} d={d} onChanged={replace} />;
  return (
    <section aria-labelledby="webhook-heading">
      <p>
        <Link to="/webhooks">← Webhooks</Link>
      </p>
      <h1 id="webhook-heading">Webhook deliveries</h1>
      <LoadStatus load={hook.load} what="the webhook" onRetry={hook.reload} />
      {hook.load.state === "ready" && (
        <dl className="facts">
          <dt>URL</dt>
          <dd className="mono">{hook.load.data.url}</dd>
          <dt>Events</dt>
          <dd>{hook.load.data.events.join(", ")}</dd>
          <dt>State</dt>
          <dd>{webhookState(hook.load.data)}</dd>
        </dl>
      )}
      <ListShell list={list} what="deliveries" empty={EMPTY} columns={COLUMNS} row={row} />
    </section>
  );
}

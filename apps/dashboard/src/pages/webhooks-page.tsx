import type { Webhook } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { ListShell, NameCell } from "../components/list-shell";
import { formatTime } from "../format";
import { useApiList } from "../use-load";

/** Enabled, or why the delivery loop disabled it (a day of failed deliveries) and since when. */
export function webhookState(hook: Webhook): string {
  if (hook.enabled) return "enabled";
  const since = hook.disabledAt === null ? "" : ` ${formatTime(hook.disabledAt)}`;
  return `disabled${since}: ${hook.disabledReason ?? "by an admin"}`;
}

const COLUMNS = ["URL", "Events", "Job types", "State", "Created"];
const EMPTY = "No webhooks yet (create one with POST /v1/webhooks or `jobstream webhooks create`).";

const webhookRow = (hook: Webhook) => (
  <tr key={hook.id} data-webhook-id={hook.id}>
    <NameCell to={`/webhooks/${hook.id}`} name={hook.url} id={hook.id} />
    <td>{hook.events.join(", ")}</td>
    <td>{hook.types.length === 0 ? "every type" : hook.types.join(", ")}</td>
    <td>{webhookState(hook)}</td>
    <td>{formatTime(hook.createdAt)}</td>
  </tr>
);

/** The org's completion webhooks, newest first; each links to its deliveries. Admins, services and operators. */
export function WebhooksPage() {
  const jobstream = useJobstreamClient();
  const list = useApiList("webhooks", jobstream.webhooks.list);
  return (
    <section aria-labelledby="webhooks-heading">
      <h1 id="webhooks-heading">Webhooks</h1>
      <ListShell list={list} what="webhooks" empty={EMPTY} columns={COLUMNS} row={webhookRow} />
    </section>
  );
}

import { jobItemStatuses, type JobItemStatus } from "@jobstream/client";
import { useJobstreamClient } from "@jobstream/react";
import { useId, useState } from "react";
import { ListShell } from "../components/list-shell";
import { StatusBadge } from "../components/status-badge";
import { json } from "../format";
import { usePaged, useReloadOn } from "../use-load";
import { Choices } from "../components/choices";

/** Outcomes an item can have (items still pending are not listed). */
const SHOWN_STATUSES = jobItemStatuses.filter((s) => s !== "pending");

/** Per-item outcomes with their before / after state side by side, filtered by status, paged. */
export function ItemsTable({ jobId, refreshKey, processed }: { jobId: string; refreshKey: string; processed: number }) {
  const jobstream = useJobstreamClient();
  const id = useId();
  const [status, setStatus] = useState<JobItemStatus | "">("");
  const list = usePaged(`${jobId}|${status}`, async (cursor, signal) => {
    const filter = { status: status === "" ? undefined : status, limit: 100, cursor: cursor ?? undefined };
    const page = await jobstream.jobs.items(jobId, filter, { signal });
    return { rows: page.items, nextCursor: page.nextCursor };
  });
  // New outcomes arrive while the job runs: re-read at every step and, during one, every 2 s.
  useReloadOn(refreshKey, list.reload);
  useReloadOn(String(processed), list.reload, 2000);

  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <div className="panel-head">
        <h2 id={`${id}-heading`}>Items</h2>
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={status}
          onChange={(e) => {
            setStatus(SHOWN_STATUSES.find((s) => s === e.target.value) ?? "");
          }}
        >
          <Choices values={SHOWN_STATUSES} anyLabel="all" />
        </select>
        <button type="button" className="secondary" onClick={list.reload}>
          Refresh items
        </button>
      </div>
      <ListShell
        list={list}
        what="items"
        empty={status === "" ? "This job has reported no items yet." : `No ${status} items.`}
        caption="Item outcomes"
        columns={["Item", "Status", "Message", "Before", "After"]}
        row={(item) => (
          <tr key={item.ref}>
            <td className="mono">{item.ref}</td>
            <td>
              <StatusBadge status={item.status} />
            </td>
            <td>
              {item.errorCode !== null && <code>{item.errorCode}</code>} {item.message ?? ""}
            </td>
            <td>
              <pre>{json(item.before)}</pre>
            </td>
            <td>
              <pre>{json(item.after)}</pre>
            </td>
          </tr>
        )}
      />
    </section>
  );
}

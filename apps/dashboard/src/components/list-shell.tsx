import type { ReactNode } from "react";
import { shortId } from "../format";
import { Link } from "../router";
import type { Load } from "../use-load";
import { Empty, LoadMore, LoadStatus, TableHead } from "./states";

export interface TableProps<Row> {
  caption: string;
  /** Shown to screen readers only (the page's heading already says it). */
  hiddenCaption?: boolean;
  columns: readonly string[];
  className?: string;
  /** One `<tr>` (with its key) per row. */
  row: (row: Row) => ReactNode;
}

/** A table of rows under its caption and column headers; nothing while there are no rows. */
export function DataTable<Row>({
  rows,
  caption,
  hiddenCaption,
  columns,
  className,
  row,
}: TableProps<Row> & { rows: readonly Row[] }) {
  if (rows.length === 0) return null;
  return (
    <div className="table-wrap">
      <table className={className}>
        <TableHead hiddenCaption={hiddenCaption} caption={caption} columns={columns} />
        <tbody>{rows.map(row)}</tbody>
      </table>
    </div>
  );
}

/** A keyset-paged list as a list page shows it (`usePaged`, or a live list such as `useJobs`). */
export interface ListView<Row> {
  /** The first page: loading, failed (retry with `reload`), or shown. */
  readonly load: Load<unknown>;
  readonly rows: readonly Row[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  readonly moreError: Error | null;
  readonly loadMore: () => Promise<void>;
  readonly reload: () => void;
}

/**
 * What every list page shows around its rows: loading, an error with a retry, a note when the list
 * is empty, the table, and "load more" while pages remain.
 */
export function ListShell<Row>({
  list,
  what,
  empty,
  caption = `${what.charAt(0).toUpperCase()}${what.slice(1)}, newest first`,
  ...table
}: Omit<TableProps<Row>, "caption" | "className" | "hiddenCaption"> & {
  list: ListView<Row>;
  /** What the rows are (`webhooks`): what loads, what "load more" brings; the table's class is `<what>-table`. */
  what: string;
  empty: ReactNode;
  /** Read to screen readers only (the page's heading is on screen). */
  caption?: string;
}) {
  return (
    <>
      <LoadStatus load={list.load} what={what} onRetry={list.reload} />
      {list.load.state === "ready" && list.rows.length === 0 && <Empty>{empty}</Empty>}
      <DataTable rows={list.rows} className={`${what}-table`} hiddenCaption caption={caption} {...table} />
      <LoadMore
        hasMore={list.hasMore}
        loading={list.loadingMore}
        error={list.moreError}
        onLoad={list.loadMore}
        what={what}
      />
    </>
  );
}

/** A row's first cell: its name as a link to its page, and its short id under it. */
export function NameCell({ to, name, id }: { to: string; name: string; id: string }) {
  return (
    <td>
      <Link to={to}>{name}</Link>
      <div className="muted mono">{shortId(id)}</div>
    </td>
  );
}

import { JobstreamError } from "@jobstream/client";
import type { Load } from "../use-load";

export function Loading({ what }: { what: string }) {
  return (
    <p className="state" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** What a page shows before its data arrived: loading, or why it could not load. */
export function LoadingOrError({ what, error }: { what: string; error: Error | undefined }) {
  return error === undefined ? <Loading what={what} /> : <ErrorBox error={error} />;
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="state empty">{children}</p>;
}

/** An API error with its code, and a retry button when retrying can help. */
export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const code = error instanceof JobstreamError && error.status > 0 ? error.code : "network_error";
  return (
    <div className="error-box" role="alert">
      <p>
        <strong>{describe(error)}</strong> <code>{code}</code>
      </p>
      {error instanceof JobstreamError && error.fieldIssues.length > 0 && (
        <ul>
          {error.fieldIssues.map((f) => (
            <li key={f.path}>
              <code>{f.path || "body"}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

function describe(error: Error): string {
  if (!(error instanceof JobstreamError) || error.status === 0) return "Could not reach the API.";
  if (error.status === 404) return "Not found (or not yours to see).";
  if (error.status === 403) return "Your role may not see this.";
  if (error.status === 401) return "Your session has expired; sign in again.";
  if (error.status === 429) return "Too many requests; wait a moment.";
  return error.message;
}

/** What a load shows until it is ready: that it is loading, or its error with a retry. */
export function LoadStatus({ load, what, onRetry }: { load: Load<unknown>; what: string; onRetry: () => void }) {
  if (load.state === "loading") return <Loading what={what} />;
  if (load.state === "error") return <ErrorBox error={load.error} onRetry={onRetry} />;
  return null;
}

/** "Load more" under a keyset-paged list; nothing once the last page is shown. */
export function LoadMore({
  hasMore,
  loading,
  error,
  onLoad,
  what,
}: {
  hasMore: boolean;
  loading: boolean;
  error: Error | null;
  onLoad: () => Promise<void>;
  what: string;
}) {
  if (!hasMore) return null;
  return (
    <div className="load-more">
      {error !== null && <ErrorBox error={error} />}
      <button type="button" className="secondary" disabled={loading} onClick={() => void onLoad()}>
        {loading ? "Loading…" : `Load more ${what}`}
      </button>
    </div>
  );
}

/** A table's caption and column headers (screen readers announce both). */
export function TableHead({
  caption,
  columns,
  hiddenCaption = false,
}: {
  caption: string;
  columns: readonly string[];
  hiddenCaption?: boolean;
}) {
  return (
    <>
      <caption className={hiddenCaption ? "visually-hidden" : undefined}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
    </>
  );
}

import type { ReactNode } from "react";

/** A page's (or section's) heading with its refresh button beside it. */
export function PageHead({
  id,
  level = 1,
  children,
  refreshLabel,
  onRefresh,
}: {
  /** The heading's id: the section's `aria-labelledby`. */
  id: string;
  level?: 1 | 2;
  children: ReactNode;
  refreshLabel: string;
  onRefresh: () => void;
}) {
  const Heading = level === 1 ? "h1" : "h2";
  return (
    <div className="panel-head">
      <Heading id={id}>{children}</Heading>
      <button type="button" className="secondary" onClick={onRefresh}>
        {refreshLabel}
      </button>
    </div>
  );
}

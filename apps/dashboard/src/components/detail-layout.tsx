import type { ReactNode } from "react";
import { Link } from "../router";

/** A page about one thing (a job, a group): the way back, its heading with badge and actions, then its sections. */
export function DetailLayout({
  headingId,
  heading,
  aside,
  children,
}: {
  headingId: string;
  heading: ReactNode;
  /** Next to the heading: the status badge and the action buttons. */
  aside: ReactNode;
  children: ReactNode;
}) {
  return (
    <article aria-labelledby={headingId} className="job-detail">
      <p>
        <Link to="/jobs">← All jobs</Link>
      </p>
      <header className="job-head">
        <h1 id={headingId}>{heading}</h1>
        {aside}
      </header>
      {children}
    </article>
  );
}

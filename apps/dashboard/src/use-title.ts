import { useEffect } from "react";

/** Names the browser tab after what the page shows (`null`: not known yet, the title stays). */
export function useTitle(title: string | null): void {
  useEffect(() => {
    if (title !== null) document.title = `${title} — Jobstream`;
  }, [title]);
}

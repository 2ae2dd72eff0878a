import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from "react";

/** Everything the dashboard shows lives under this path (Vite's `base`). */
export const BASE = import.meta.env.BASE_URL.replace(/\/$/, "");

export type Route =
  | { readonly page: "jobs"; readonly search: URLSearchParams }
  | { readonly page: "job"; readonly id: string }
  | { readonly page: "group"; readonly id: string }
  | { readonly page: "stats"; readonly search: URLSearchParams }
  | { readonly page: "queues" }
  | { readonly page: "enqueue"; readonly search: URLSearchParams }
  | { readonly page: "schedules" }
  | { readonly page: "webhooks" }
  | { readonly page: "webhook"; readonly id: string }
  | { readonly page: "not-found" };

export function parseRoute(pathname: string, search: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  if (path === "" || path === "/" || path === "/jobs") return { page: "jobs", search: new URLSearchParams(search) };
  const job = /^\/jobs\/([0-9a-fA-F-]{36})$/.exec(path);
  if (job?.[1] !== undefined) return { page: "job", id: job[1].toLowerCase() };
  const group = /^\/groups\/([^/]+)$/.exec(path);
  if (group?.[1] !== undefined) {
    try {
      return { page: "group", id: decodeURIComponent(group[1]) };
    } catch {
      return { page: "not-found" }; // a malformed %-escape
    }
  }
  if (path === "/stats") return { page: "stats", search: new URLSearchParams(search) };
  if (path === "/queues") return { page: "queues" };
  if (path === "/enqueue") return { page: "enqueue", search: new URLSearchParams(search) };
  if (path === "/schedules") return { page: "schedules" };
  if (path === "/webhooks") return { page: "webhooks" };
  const webhook = /^\/webhooks\/([0-9a-fA-F-]{36})$/.exec(path);
  if (webhook?.[1] !== undefined) return { page: "webhook", id: webhook[1].toLowerCase() };
  return { page: "not-found" };
}

const NAVIGATE = "jobstream:navigate";

/** Moves to a dashboard path (relative to BASE) without a reload. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE}${to}`;
  if (options.replace === true) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
  window.dispatchEvent(new Event(NAVIGATE));
}

export function useRoute(): Route {
  const read = () => parseRoute(window.location.pathname, window.location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => {
      setRoute(read());
    };
    window.addEventListener("popstate", update);
    window.addEventListener(NAVIGATE, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(NAVIGATE, update);
    };
  }, []);
  return route;
}

/** A real link (open in a new tab works) that navigates in place on a plain click. */
export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={`${BASE}${to}`} onClick={onClick} {...rest} />;
}

/** The dashboard path of a group's page (group ids are free text: escaped). */
export const groupPath = (groupId: string) => `/groups/${encodeURIComponent(groupId)}`;

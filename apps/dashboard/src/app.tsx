import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { Connection } from "@jobstream/react";
import { useActiveJobs } from "@jobstream/react";
import { ApiClient, ApiRequestError, createJobstream } from "./api/client";
import { ActiveWidget } from "./components/active-widget";
import { AppProvider, useApp } from "./context";
import { GroupPage } from "./pages/group-page";
import { JobDetail } from "./pages/job-detail";
import { JobsPage } from "./pages/jobs-page";
import { SignIn } from "./pages/sign-in";
import { EnqueuePage } from "./pages/enqueue-page";
import { QueuesPage } from "./pages/queues-page";
import { StatsPage } from "./pages/stats-page";
import { SchedulesPage } from "./pages/schedules-page";
import { WebhookPage } from "./pages/webhook-page";
import { WebhooksPage } from "./pages/webhooks-page";
import { Link, useRoute, type Route } from "./router";
import { roleAccess } from "./role-access";
import { loadSignedIn, signIn, signOut, type SignedIn } from "./session";

/** `linkToken`: the token of a sign-in link (`#token=`), signed in the same way as a pasted one. */
export function App({ linkToken = null }: { linkToken?: string | null }) {
  const [signedIn, setSignedIn] = useState<SignedIn | null>(loadSignedIn);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [linking, setLinking] = useState(linkToken !== null);
  useEffect(() => {
    if (linkToken === null) return;
    let current = true;
    signIn(linkToken)
      .then(
        (s) => {
          if (current) setSignedIn(s);
        },
        (e: unknown) => {
          if (current)
            setNotice(
              `The sign-in link did not work: ${
                e instanceof ApiRequestError ? `${e.message} (${e.code})` : "could not reach the API"
              }.`,
            );
        },
      )
      .finally(() => {
        if (current) setLinking(false);
      });
    return () => {
      current = false;
    };
  }, [linkToken]);
  const end = useCallback((why?: string) => {
    void signOut();
    setSignedIn(null);
    setNotice(why);
  }, []);
  // One pair of clients per sign-in: the jobs client holds the shared live stream.
  const clients = useMemo(() => {
    if (signedIn === null) return null;
    const ended = () => {
      end("Your session ended; sign in again.");
    };
    return { api: new ApiClient(signedIn.token, ended), jobstream: createJobstream(signedIn.token, ended) };
  }, [signedIn, end]);

  // Sign out when the token expires rather than failing request after request.
  useEffect(() => {
    if (signedIn === null) return;
    const timer = setTimeout(
      () => {
        end("Your token expired; sign in again.");
      },
      Math.min(2 ** 31 - 1, Math.max(0, Date.parse(signedIn.session.expiresAt) - Date.now())),
    );
    return () => {
      clearTimeout(timer);
    };
  }, [signedIn, end]);

  if (linking) return <SignIn onSignedIn={setSignedIn} notice="Signing in with the link…" />;
  if (signedIn === null || clients === null) return <SignIn onSignedIn={setSignedIn} notice={notice} />;
  return (
    <AppProvider api={clients.api} jobstream={clients.jobstream} session={signedIn.session}>
      <Shell
        onSignOut={() => {
          end();
        }}
      />
    </AppProvider>
  );
}

/** The header's word for how changes arrive ("open": a live stream). */
const LIVE_LABELS: Record<Connection, string> = {
  connecting: "connecting",
  live: "open",
  reconnecting: "reconnecting",
  polling: "polling",
  ended: "ended",
};

const TITLES: Record<Route["page"], string> = {
  jobs: "Jobs",
  job: "Job",
  group: "Group",
  stats: "Stats",
  schedules: "Schedules",
  webhooks: "Webhooks",
  webhook: "Webhook",
  queues: "Queues",
  enqueue: "Enqueue",
  "not-found": "Not found",
};

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const { session } = useApp();
  // The header's widget and live indicator share the client's one all-jobs stream.
  const active = useActiveJobs();
  const live = LIVE_LABELS[active.connection];
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // A page change moves focus to the new content (as a page load would) and names the page.
  const where = route.page === "job" || route.page === "webhook" ? route.id : route.page;
  useEffect(() => {
    document.title = `${TITLES[route.page]} — Jobstream`;
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [where, route.page]);
  const may = roleAccess(session.role);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <nav aria-label="Main">
          <Link to="/jobs" className="brand">
            Jobstream
          </Link>
          <Link to="/jobs" aria-current={route.page === "jobs" ? "page" : undefined}>
            Jobs
          </Link>
          <Link to="/schedules" aria-current={route.page === "schedules" ? "page" : undefined}>
            Schedules
          </Link>
          <Link to="/enqueue" aria-current={route.page === "enqueue" ? "page" : undefined}>
            Enqueue
          </Link>
          {may.stats && (
            <Link to="/stats" aria-current={route.page === "stats" ? "page" : undefined}>
              Stats
            </Link>
          )}
          {may.queues && (
            <Link to="/queues" aria-current={route.page === "queues" ? "page" : undefined}>
              Queues
            </Link>
          )}
          {may.webhooks && (
            <Link to="/webhooks" aria-current={route.page.startsWith("webhook") ? "page" : undefined}>
              Webhooks
            </Link>
          )}
          {may.bullBoard && <a href="/admin/queues">bull-board</a>}
          <a href="/docs">API docs</a>
        </nav>
        <ActiveWidget active={active} />
        <span
          className={`live live-${live}`}
          role="status"
          aria-label={`Live updates: ${live}`}
          title={`Live updates: ${live}`}
        >
          {live === "open" ? "live" : live}
        </span>
        <span className="who muted" title={session.userId}>
          {session.role}
        </span>
        <button type="button" className="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        <Page route={route} />
      </main>
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "jobs":
      return <JobsPage search={route.search} />;
    case "job":
      return <JobDetail key={route.id} id={route.id} />;
    case "group":
      return <GroupPage key={route.id} id={route.id} />;
    case "stats":
      return <StatsPage search={route.search} />;
    case "queues":
      return <QueuesPage />;
    case "enqueue":
      return <EnqueuePage search={route.search} />;
    case "schedules":
      return <SchedulesPage />;
    case "webhooks":
      return <WebhooksPage />;
    case "webhook":
      return <WebhookPage key={route.id} id={route.id} />;
    case "not-found":
      return (
        <p className="state">
          No such page. <Link to="/jobs">Go to the jobs list</Link>
        </p>
      );
  }
}

import type { JobstreamClient } from "@jobstream/client";
import { JobstreamProvider } from "@jobstream/react";
import { createContext, useContext, type ReactNode } from "react";
import type { ApiClient } from "./api/client";
import type { Session } from "./api/types";

interface AppContextValue {
  /** For the routes `@jobstream/client` does not cover (stats); jobs go through `useJobstreamClient()`. */
  readonly api: ApiClient;
  readonly session: Session;
}

const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error("useApp outside <AppProvider>");
  return value;
}

/** The signed-in session, its API client, and the jobs client the `@jobstream/react` hooks use. */
export function AppProvider({
  api,
  jobstream,
  session,
  children,
}: {
  api: ApiClient;
  jobstream: JobstreamClient;
  session: Session;
  children: ReactNode;
}) {
  return (
    <AppContext.Provider value={{ api, session }}>
      <JobstreamProvider client={jobstream}>{children}</JobstreamProvider>
    </AppContext.Provider>
  );
}

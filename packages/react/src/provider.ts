import type { JobstreamClient } from "@jobstream/client";
import { createContext, createElement, useContext, type ReactElement, type ReactNode } from "react";

const ClientContext = createContext<JobstreamClient | null>(null);

/**
 * Makes a client available to the hooks below it. Create the client once (outside render or in
 * `useMemo`): each client holds one shared all-jobs stream, and a new client means a new stream.
 */
export function JobstreamProvider({
  client,
  children,
}: {
  client: JobstreamClient;
  children?: ReactNode;
}): ReactElement {
  return createElement(ClientContext.Provider, { value: client }, children);
}

/** The client given to the hook, else the nearest `<JobstreamProvider>`'s. */
export function useJobstreamClient(override?: JobstreamClient): JobstreamClient {
  const provided = useContext(ClientContext);
  const client = override ?? provided;
  if (client === null)
    throw new Error("@jobstream/react: pass { client } or render inside <JobstreamProvider client={…}>");
  return client;
}

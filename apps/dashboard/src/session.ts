import { ApiClient } from "./api/client";
import type { Session } from "./api/types";

const KEY = "jobstream.session";

export interface SignedIn {
  readonly token: string;
  readonly session: Session;
}

/** The token lives in sessionStorage (this tab only, gone when it closes), never in a URL. */
export function loadSignedIn(): SignedIn | null {
  const raw = window.sessionStorage.getItem(KEY);
  if (raw === null) return null;
  try {
    const stored = JSON.parse(raw) as SignedIn;
    if (Date.parse(stored.session.expiresAt) <= Date.now()) {
      window.sessionStorage.removeItem(KEY);
      return null;
    }
    return stored;
  } catch {
    window.sessionStorage.removeItem(KEY);
    return null;
  }
}

/**
 * Checks the token with the API, which also sets the httpOnly cookie bull-board's pages use
 * (a browser cannot send a bearer header when following a link).
 */
export async function signIn(token: string): Promise<SignedIn> {
  const session = await new ApiClient(token).post<Session>("/v1/session");
  const signedIn = { token, session };
  window.sessionStorage.setItem(KEY, JSON.stringify(signedIn));
  return signedIn;
}

export async function signOut(): Promise<void> {
  window.sessionStorage.removeItem(KEY);
  // Clears the bull-board cookie; needs no token, so an expired session can sign out too.
  await fetch("/v1/session", { method: "DELETE" }).catch(() => undefined);
}

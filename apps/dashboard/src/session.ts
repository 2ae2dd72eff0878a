import { ApiClient } from "./api/client";
import type { Session } from "./api/types";

const KEY = "jobstream.session";

export interface SignedIn {
  readonly token: string;
  readonly session: Session;
}

/** `#token=<jwt>` (the development sign-in link `pnpm start` prints): the token, or null. */
export function tokenFromFragment(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, "")).get("token")?.trim();
  return token === undefined || token === "" ? null : token;
}

/**
 * Takes a sign-in link's token out of the address bar at once (before it is even checked), so it
 * is left in neither the history nor a bookmark. The fragment never reaches a server.
 */
export function takeFragmentToken(): string | null {
  const token = tokenFromFragment(window.location.hash);
  if (token !== null) {
    window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
  }
  return token;
}

/** The token lives in sessionStorage (this tab only, gone when it closes); a link's token is taken out of the URL. */
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

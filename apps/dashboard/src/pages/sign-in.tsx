import { useEffect, useId, useState, type SyntheticEvent } from "react";
import { ApiRequestError } from "../api/client";
import { signIn, type SignedIn } from "../session";

/** Paste a bearer token (JWT); it is checked by the API and kept in this tab's session storage. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: SignedIn) => void; notice?: string | undefined }) {
  const id = useId();
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = "Sign in — Jobstream";
  }, []);
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(token.trim()));
    } catch (e) {
      setError(e instanceof ApiRequestError ? `${e.message} (${e.code})` : "Could not reach the API.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="sign-in">
      <h1>Jobstream</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby={`${id}-help`}>
        <label htmlFor={`${id}-token`}>Access token</label>
        <textarea
          id={`${id}-token`}
          name="token"
          rows={4}
          required
          spellCheck={false}
          autoComplete="off"
          value={token}
          onChange={(e) => {
            setToken(e.target.value);
          }}
        />
        <p id={`${id}-help`} className="muted">
          A bearer token (JWT) issued for you. It stays in this browser tab only and is sent to the API in a header.
        </p>
        <p className="muted">
          No token? In the repository, <code>pnpm token</code> prints one (<code>pnpm token --role member</code> for
          another role). In development, <code>pnpm start</code> also prints a sign-in link that opens the dashboard
          signed in.
        </p>
        {notice !== undefined && <p className="state">{notice}</p>}
        {error !== null && (
          <p className="error-box" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || token.trim() === ""}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}

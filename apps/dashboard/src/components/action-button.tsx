import { useState } from "react";
import { ErrorBox } from "./states";

/**
 * A button that runs one API action for a row: disabled while it runs, the answer handed to
 * `onDone` (the row then shows what the API answered), a refusal shown beside it.
 */
export function ActionButton<T>({
  label,
  name,
  run,
  onDone,
}: {
  label: string;
  /** The accessible name: the label and what it acts on (`Pause Hourly noop`). */
  name: string;
  run: () => Promise<T>;
  onDone: (answer: T) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const act = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await run());
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="secondary" disabled={busy} aria-label={name} onClick={() => void act()}>
        {label}
      </button>
      {error !== null && <ErrorBox error={error} />}
    </>
  );
}

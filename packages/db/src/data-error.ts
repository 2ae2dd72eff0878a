/**
 * SQLSTATE classes that blame the data of a statement, not the server or the connection:
 * 22 data exception (bad uuid, unsupported Unicode escape, out of range), 23 integrity
 * constraint violation. Sending the same rows again fails the same way, so the mirror sets such
 * an entry aside; anything else (connection refused or lost, 08, 53, 57 — a shutdown) is an
 * outage and is retried.
 */
const DATA_ERROR_CLASSES = new Set(["22", "23"]);

/** True when Postgres refused a statement because of the values it carried. */
export function isDataError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.length === 5 && DATA_ERROR_CLASSES.has(code.slice(0, 2));
}

import type { Readiness } from "./readiness";

/**
 * The `/readyz` answer both processes give: 200 when ready, else 503 naming which dependency is
 * out (`{"status":"unavailable","checks":{"redis":"down","postgres":"ok"}}`, also in the documented
 * error shape). Never the driver's error text: that goes to the log.
 */
export function readinessAnswer(readiness: Readiness): { status: number; body: unknown } {
  if (readiness.ok) return { status: 200, body: { status: "ready", checks: readiness.checks } };
  const out = Object.entries(readiness.checks)
    .filter(([, state]) => state !== "ok")
    .map(([name, state]) => `${name} ${state.replace("_", " ")}`);
  return {
    status: 503,
    body: {
      status: "unavailable",
      checks: readiness.checks,
      ...(readiness.pendingMigrations ? { pendingMigrations: readiness.pendingMigrations } : {}),
      error: { code: "unavailable", message: `not ready: ${out.join(", ")}`, details: { checks: readiness.checks } },
    },
  };
}

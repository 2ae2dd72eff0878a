import type { Readiness } from "./readiness";

/** The `/readyz` answer both processes give: 200 when ready, else 503 in the documented error shape. */
export function readinessAnswer(readiness: Readiness): { status: number; body: unknown } {
  if (readiness.ok) return { status: 200, body: { status: "ready", checks: readiness.checks } };
  return { status: 503, body: { error: { code: "unavailable", message: "not ready", details: readiness.checks } } };
}

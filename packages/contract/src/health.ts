import { z } from "zod";

/** `GET /healthz`: the process is alive. */
export const livenessSchema = z.object({ status: z.literal("ok") }).meta({ id: "Liveness" });

/** One dependency's check; more fields (latency, detail) may be added. */
const checkSchema = z.looseObject({ ok: z.boolean() });

/** `GET /readyz` when ready (otherwise a 503 `unavailable` error whose details are the checks). */
export const readinessSchema = z
  .object({ status: z.literal("ready"), checks: z.record(z.string(), checkSchema) })
  .meta({ id: "Readiness" });

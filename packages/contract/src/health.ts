import { z } from "zod";

/** `GET /healthz`: the process is alive. */
export const livenessSchema = z.object({ status: z.literal("ok") }).meta({ id: "Liveness" });

/** One dependency's state: never the driver's error text (that goes to the log). */
const checkSchema = z.enum(["ok", "down", "migrations_pending"]);

/**
 * `GET /readyz` when ready (`{"status":"ready","checks":{"redis":"ok","postgres":"ok"}}`); otherwise
 * 503 with `status: "unavailable"`, the same checks naming what is out, and the documented `error`.
 */
export const readinessSchema = z
  .object({ status: z.literal("ready"), checks: z.record(z.string(), checkSchema) })
  .meta({ id: "Readiness" });

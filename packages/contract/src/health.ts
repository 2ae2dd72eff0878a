import { z } from "zod";
import { named } from "./fields";

/** `GET /healthz`: the process is alive. */
export const livenessSchema = named("Liveness", { status: z.literal("ok") });

/** One dependency's state: never the driver's error text (that goes to the log). */
const checkSchema = z.enum(["ok", "down", "migrations_pending"]);

/**
 * `GET /readyz` when ready (`{"status":"ready","checks":{"redis":"ok","postgres":"ok"}}`); otherwise
 * 503 with `status: "unavailable"`, the same checks naming what is out, and the documented `error`.
 */
export const readinessSchema = named("Readiness", {
  status: z.literal("ready"),
  checks: z.record(z.string(), checkSchema),
});

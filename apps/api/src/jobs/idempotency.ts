import type { IdempotentJob } from "@jobstream/db";
import { canAccessJob } from "../auth/access";
import type { Principal } from "../auth/principal";

export type IdempotencyOutcome = "replay" | "in_use" | "reused";

/**
 * What an idempotency key already taken in the org means for this caller:
 * - the caller may not read the job → `in_use` (409, nothing about the job is revealed);
 * - it may, but the request differs (hash of the normalized request) → `reused` (409);
 * - same request → `replay` (200 with the existing job).
 * Rows stored before request hashes existed (null) compare as equal: they answer as they used to.
 */
export function idempotencyOutcome(
  principal: Principal,
  existing: IdempotentJob,
  requestHash: string,
): IdempotencyOutcome {
  if (!canAccessJob(principal, existing)) return "in_use";
  if (existing.requestHash !== null && existing.requestHash !== requestHash) return "reused";
  return "replay";
}

export const idempotencyMessages: Record<Exclude<IdempotencyOutcome, "replay">, string> = {
  in_use: "this idempotency key is already in use in the org",
  reused: "this idempotency key was used with a different request",
};

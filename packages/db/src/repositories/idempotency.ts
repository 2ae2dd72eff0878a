import type { Queryable } from "../pg";

/** A job found by its idempotency key: enough to decide whether the caller may have it back. */
export interface IdempotentJob {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly orgId: string;
  readonly userId: string | null;
  readonly accessTokenHash: string | null;
  readonly requestHash: string | null;
}

/** An org's jobs by idempotency key, with what the idempotency decision needs. */
export async function findIdempotentJobs(
  db: Queryable,
  orgId: string,
  keys: readonly string[],
): Promise<IdempotentJob[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<IdempotentJob>(
    `SELECT id::text, idempotency_key AS "idempotencyKey", org_id::text AS "orgId", user_id::text AS "userId",
            access_token_hash AS "accessTokenHash", request_hash AS "requestHash"
     FROM jobs WHERE org_id = $1::uuid AND idempotency_key = ANY($2::text[])`,
    [orgId, keys],
  );
  return rows;
}

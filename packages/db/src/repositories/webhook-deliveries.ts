import { queryOne, type Queryable } from "../pg";
import { selectPage, type Page, type PageRequest } from "./keyset";

/** One attempt to send a delivery, as shown by GET /v1/webhooks/:id/deliveries. */
export interface DeliveryAttempt {
  readonly at: string;
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

export interface WebhookDeliveryRow {
  readonly id: string;
  readonly webhookId: string;
  readonly jobId: string;
  readonly event: string;
  readonly status: string;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  /** Untrusted until parsed (written by this package, but read back from storage). */
  readonly attemptLog: unknown;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly lastLatencyMs: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const COLUMNS = `id::text, webhook_id::text AS "webhookId", job_id::text AS "jobId", event, status, attempts,
  next_attempt_at AS "nextAttemptAt", attempt_log AS "attemptLog", last_status_code AS "lastStatusCode",
  last_error AS "lastError", last_latency_ms AS "lastLatencyMs", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A webhook's deliveries, newest first. */
export function listWebhookDeliveries(
  db: Queryable,
  webhookId: string,
  page: PageRequest,
): Promise<Page<WebhookDeliveryRow>> {
  const select = `SELECT ${COLUMNS} FROM webhook_deliveries`;
  return selectPage(db, { select, filter: "webhook_id = $1", params: [webhookId] }, page);
}

/**
 * Sends a delivery again, now, under the same id (the receiver's de-duplication key), with a fresh
 * back-off schedule. Null if the webhook has no such delivery.
 */
export async function redeliverWebhookDelivery(
  db: Queryable,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDeliveryRow | null> {
  return queryOne<WebhookDeliveryRow>(
    db,
    `UPDATE webhook_deliveries SET status = 'pending', schedule_step = 0, next_attempt_at = now(), claim_id = NULL,
       updated_at = now()
     WHERE id = $1 AND webhook_id = $2 RETURNING ${COLUMNS}`,
    [deliveryId, webhookId],
  );
}

/** A delivery taken by one sender until `leaseUntil`. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly claimId: string;
  readonly webhookId: string;
  readonly url: string;
  readonly secret: string;
  /** The exact body to send (stored as jsonb: key order is Postgres's, fixed for every attempt). */
  readonly payload: unknown;
  readonly scheduleStep: number;
}

/**
 * Claims up to `limit` due deliveries of enabled webhooks. The lease (`next_attempt_at` moved to
 * now + leaseMs) makes a delivery whose sender died due again: at least once, same id. SKIP LOCKED
 * lets several senders claim at the same time without waiting for or taking each other's rows.
 */
export async function claimDueDeliveries(db: Queryable, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const { rows } = await db.query<ClaimedDelivery>(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.enabled
       ORDER BY d.next_attempt_at LIMIT $1
       FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE webhook_deliveries d SET claim_id = gen_random_uuid(),
       next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), updated_at = now()
     FROM due, webhooks w
     WHERE d.id = due.id AND w.id = d.webhook_id
     RETURNING d.id::text, d.claim_id::text AS "claimId", d.webhook_id::text AS "webhookId", w.url, w.secret,
       d.payload, d.schedule_step AS "scheduleStep"`,
    [limit, leaseMs],
  );
  return rows;
}

/** The outcome of one attempt and what follows it. */
export interface AttemptRecord {
  readonly id: string;
  readonly claimId: string;
  readonly attempt: DeliveryAttempt;
  /** `retry`: due again at `retryAt`; `failed`: no attempts left. */
  readonly outcome:
    | { readonly kind: "succeeded" }
    | { readonly kind: "retry"; readonly retryAt: Date }
    | {
        readonly kind: "failed";
      };
  /** An endpoint failing continuously for this long is disabled. */
  readonly disableAfterMs: number;
}

/**
 * Records an attempt, unless the claim was lost (lease ran out, another sender took over: its record
 * counts). A success clears the webhook's failing streak; a failure starts or extends it and disables
 * the webhook, with the reason, once the streak is `disableAfterMs` old. Returns whether it recorded.
 */
export async function recordDeliveryAttempt(db: Queryable, record: AttemptRecord): Promise<boolean> {
  const { outcome, attempt } = record;
  const succeeded = outcome.kind === "succeeded";
  const { rows } = await db.query<{ webhookId: string }>(
    `UPDATE webhook_deliveries SET
       status = $3, attempts = attempts + 1,
       schedule_step = schedule_step + 1,
       next_attempt_at = $4, claim_id = NULL,
       attempt_log = attempt_log || jsonb_build_array($5::jsonb),
       last_status_code = $6, last_error = $7, last_latency_ms = $8, updated_at = now()
     WHERE id = $1 AND claim_id = $2
     RETURNING webhook_id::text AS "webhookId"`,
    [
      record.id,
      record.claimId,
      outcome.kind === "retry" ? "pending" : outcome.kind,
      outcome.kind === "retry" ? outcome.retryAt : null,
      JSON.stringify(attempt),
      attempt.statusCode,
      attempt.error,
      Math.round(attempt.latencyMs),
    ],
  );
  const webhookId = rows[0]?.webhookId;
  if (webhookId === undefined) return false;
  await db.query(
    `UPDATE webhooks SET
       failing_since = CASE WHEN $2 THEN NULL ELSE coalesce(failing_since, $3::timestamptz) END,
       enabled = enabled AND ($2 OR $3::timestamptz - coalesce(failing_since, $3::timestamptz)
                                     < make_interval(secs => $4::float8 / 1000)),
       disabled_at = CASE WHEN enabled AND NOT $2 AND $3::timestamptz - coalesce(failing_since, $3::timestamptz)
                               >= make_interval(secs => $4::float8 / 1000) THEN now() ELSE disabled_at END,
       disabled_reason = CASE WHEN enabled AND NOT $2 AND $3::timestamptz - coalesce(failing_since, $3::timestamptz)
                               >= make_interval(secs => $4::float8 / 1000)
                         THEN 'every delivery failed since ' || webhook_iso(coalesce(failing_since, $3::timestamptz))
                              || '; last: ' || $5
                         ELSE disabled_reason END
     WHERE id = $1`,
    [webhookId, succeeded, attempt.at, record.disableAfterMs, attempt.error ?? `HTTP ${attempt.statusCode}`],
  );
  return true;
}

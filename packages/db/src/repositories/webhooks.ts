import { queryOne, type Queryable } from "../pg";
import { selectPage, type Page, type PageRequest } from "./keyset";

/** A completion webhook as stored (the secret included: callers decide when to show it). */
export interface WebhookRow {
  readonly id: string;
  readonly orgId: string;
  readonly url: string;
  readonly events: string[];
  readonly types: string[];
  readonly secret: string;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly disabledAt: Date | null;
  readonly failingSince: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface NewWebhook {
  readonly id: string;
  readonly orgId: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly types: readonly string[];
  readonly secret: string;
}

/** What PATCH may change; `enabled: true` also clears why it was disabled. */
export interface WebhookChange {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly types?: readonly string[];
  readonly enabled?: boolean;
}

const COLUMNS = `id::text, org_id::text AS "orgId", url, events, types, secret, enabled,
  disabled_reason AS "disabledReason", disabled_at AS "disabledAt", failing_since AS "failingSince",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export async function insertWebhook(db: Queryable, hook: NewWebhook): Promise<WebhookRow> {
  const { rows } = await db.query<WebhookRow>(
    `INSERT INTO webhooks (id, org_id, url, events, types, secret) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${COLUMNS}`,
    [hook.id, hook.orgId, hook.url, hook.events, hook.types, hook.secret],
  );
  const row = rows[0];
  if (row === undefined) throw new Error("insert returned no row");
  return row;
}

export async function findWebhook(db: Queryable, id: string): Promise<WebhookRow | null> {
  return queryOne<WebhookRow>(db, `SELECT ${COLUMNS} FROM webhooks WHERE id = $1`, [id]);
}

/** Newest first; `orgId` null lists every org's (operators, services). */
export function listWebhooks(db: Queryable, orgId: string | null, page: PageRequest): Promise<Page<WebhookRow>> {
  const filter = "($1::uuid IS NULL OR org_id = $1)";
  return selectPage(db, { select: `SELECT ${COLUMNS} FROM webhooks`, filter, params: [orgId] }, page);
}

export async function updateWebhook(db: Queryable, id: string, change: WebhookChange): Promise<WebhookRow | null> {
  return queryOne<WebhookRow>(
    db,
    `UPDATE webhooks SET
       url = coalesce($2, url),
       events = coalesce($3, events),
       types = coalesce($4, types),
       enabled = coalesce($5, enabled),
       disabled_reason = CASE WHEN $5 THEN NULL ELSE disabled_reason END,
       disabled_at = CASE WHEN $5 THEN NULL ELSE disabled_at END,
       failing_since = CASE WHEN $5 THEN NULL ELSE failing_since END,
       updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, change.url ?? null, change.events ?? null, change.types ?? null, change.enabled ?? null],
  );
}

export async function rotateWebhookSecret(db: Queryable, id: string, secret: string): Promise<WebhookRow | null> {
  return queryOne<WebhookRow>(
    db,
    `UPDATE webhooks SET secret = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, secret],
  );
}

/** Deletes the webhook and (cascade) its deliveries; false if there was none. */
export async function deleteWebhook(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM webhooks WHERE id = $1`, [id]);
  return (rowCount ?? 0) > 0;
}

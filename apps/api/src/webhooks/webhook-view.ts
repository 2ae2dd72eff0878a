import { z } from "zod";
import {
  webhookAttemptSchema,
  type WebhookDeliveryView,
  type WebhookEvent,
  type WebhookView,
  type WebhookWithSecret,
} from "@jobstream/contract";
import type { WebhookDeliveryRow, WebhookRow } from "@jobstream/db";

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function toWebhookView(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    orgId: row.orgId,
    url: row.url,
    events: row.events as WebhookEvent[],
    types: row.types,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    disabledAt: iso(row.disabledAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function withSecret(row: WebhookRow): WebhookWithSecret {
  return { ...toWebhookView(row), secret: row.secret };
}

const attemptLogSchema = z.array(webhookAttemptSchema).catch([]);

/** The row's columns are named as the view's fields: only the dates, the enums and the log need converting. */
export function toDeliveryView(row: WebhookDeliveryRow): WebhookDeliveryView {
  const { event, status, nextAttemptAt, attemptLog, createdAt, updatedAt, ...same } = row;
  return {
    ...same,
    event: event as WebhookEvent,
    status: status as WebhookDeliveryView["status"],
    nextAttemptAt: iso(nextAttemptAt),
    attemptLog: attemptLogSchema.parse(attemptLog),
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

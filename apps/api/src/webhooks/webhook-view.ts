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

export function toDeliveryView(row: WebhookDeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    webhookId: row.webhookId,
    jobId: row.jobId,
    groupId: row.groupId,
    event: row.event as WebhookEvent,
    status: row.status as WebhookDeliveryView["status"],
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    lastLatencyMs: row.lastLatencyMs,
    attemptLog: attemptLogSchema.parse(row.attemptLog),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

import { z } from "zod";
import { isoDate, rowTimes, named } from "./fields";
import { cursorPage } from "./page";

/**
 * The events a webhook may ask for. `group.completed` (issue 14) waits for groups to exist: until
 * then it is an unknown event, so no endpoint subscribes to something that never fires.
 */
export const webhookEvents = ["job.completed", "job.failed", "job.cancelled"] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** http(s) only: any other scheme is not a webhook. Private addresses are refused by the API. */
export const webhookUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe("http(s) URL the deliveries are POSTed to");

const eventsSchema = z
  .array(z.enum(webhookEvents))
  .min(1)
  .max(webhookEvents.length)
  .refine((events) => new Set(events).size === events.length, "events must not repeat");
const typesSchema = z
  .array(z.string().min(1).max(100))
  .max(100)
  .describe("Job types the webhook is about; empty or absent: every type");

/** What a webhook is: where it posts, on which events, about which types (set at creation, changed by updates). */
const webhookSettings = z.object({ url: webhookUrlSchema, events: eventsSchema, types: typesSchema.optional() });

export const createWebhookBodySchema = webhookSettings
  .extend({
    /** Services only: the org the webhook belongs to (default: the token's). */
    orgId: z.uuid().optional(),
  })
  .strict()
  .meta({ id: "CreateWebhookRequest" });
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;

export const updateWebhookBodySchema = webhookSettings
  .partial()
  .extend({
    /** `true` re-enables an endpoint the delivery loop disabled (and clears the reason). */
    enabled: z.boolean().optional(),
  })
  .strict()
  .meta({ id: "UpdateWebhookRequest" });
export type UpdateWebhookBody = z.infer<typeof updateWebhookBodySchema>;

export const webhookViewSchema = named("Webhook", {
  id: z.uuid(),
  orgId: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(webhookEvents)),
  types: z.array(z.string()),
  enabled: z.boolean(),
  /** Why the delivery loop disabled it (a day of failed deliveries); null while enabled. */
  disabledReason: z.string().nullable(),
  disabledAt: isoDate.nullable(),
  ...rowTimes,
});
export type WebhookView = z.infer<typeof webhookViewSchema>;

/** Creation and rotation answers: the only ones that show the signing secret. */
export const webhookWithSecretSchema = webhookViewSchema
  .extend({ secret: z.string().describe("`whsec_…`: verify deliveries with it (Standard Webhooks)") })
  .meta({ id: "WebhookWithSecret" });
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const webhookAnswerSchema = named("WebhookAnswer", { webhook: webhookViewSchema });
export const webhookSecretAnswerSchema = named("WebhookSecretAnswer", { webhook: webhookWithSecretSchema });
export const webhookPageSchema = cursorPage("webhooks", webhookViewSchema).meta({ id: "WebhookPage" });
export type WebhookPage = z.infer<typeof webhookPageSchema>;

export const webhookAttemptSchema = named("WebhookAttempt", {
  at: isoDate,
  /** Null when no HTTP answer came (refused address, timeout, connection error). */
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
});
export type WebhookAttemptView = z.infer<typeof webhookAttemptSchema>;

export const webhookDeliveryStatuses = ["pending", "succeeded", "failed"] as const;

export const webhookDeliverySchema = named("WebhookDelivery", {
  /** Also the `webhook-id` header: the receiver's de-duplication key. */
  id: z.uuid(),
  webhookId: z.uuid(),
  jobId: z.uuid(),
  event: z.enum(webhookEvents),
  /** `pending`: to send or being sent; `failed`: gave up after the last retry (redeliver sends it again). */
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  /** Null once succeeded or given up. */
  nextAttemptAt: isoDate.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  attemptLog: z.array(webhookAttemptSchema),
  ...rowTimes,
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryPageSchema = cursorPage("deliveries", webhookDeliverySchema).meta({
  id: "WebhookDeliveryPage",
});
export type WebhookDeliveryPage = z.infer<typeof webhookDeliveryPageSchema>;
export const webhookDeliveryAnswerSchema = named("WebhookDeliveryAnswer", { delivery: webhookDeliverySchema });

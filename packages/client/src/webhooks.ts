import type {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookPage,
  WebhookWithSecret,
} from "./generated/types.ts";
import { callsOf } from "./calls.ts";
import type { Transport } from "./transport.ts";

export interface WebhookListFilter {
  /** Services and operators: one org's webhooks. */
  orgId?: string;
  limit?: number;
  cursor?: string;
}

export interface PageFilter {
  limit?: number;
  cursor?: string;
}

/** Completion webhooks (org admins, services, operators). */
export interface WebhooksApi {
  /** Creates one; the answer is the only one (with `rotateSecret`) that shows its `whsec_…` secret. */
  create(webhook: CreateWebhookRequest, extras?: { signal?: AbortSignal }): Promise<WebhookWithSecret>;
  /** One page of webhooks, newest first. */
  list(filter?: WebhookListFilter, extras?: { signal?: AbortSignal }): Promise<WebhookPage>;
  get(id: string, extras?: { signal?: AbortSignal }): Promise<Webhook>;
  /** Changes it; `{ enabled: true }` re-enables one the sender disabled. */
  update(id: string, change: UpdateWebhookRequest, extras?: { signal?: AbortSignal }): Promise<Webhook>;
  delete(id: string, extras?: { signal?: AbortSignal }): Promise<void>;
  rotateSecret(id: string, extras?: { signal?: AbortSignal }): Promise<WebhookWithSecret>;
  /** One page of its deliveries, newest first, with every attempt. */
  deliveries(id: string, filter?: PageFilter, extras?: { signal?: AbortSignal }): Promise<WebhookDeliveryPage>;
  /** Sends a delivery again now, under the same `webhook-id`. */
  redeliver(id: string, deliveryId: string, extras?: { signal?: AbortSignal }): Promise<WebhookDelivery>;
}

const path = (id: string, suffix = "") => `v1/webhooks/${encodeURIComponent(id)}${suffix}`;

export function webhooksApi(transport: Transport): WebhooksApi {
  // Changes are not resent after a lost answer (a create would make a second webhook).
  const calls = callsOf(transport);
  const send = (method: string, to: string, body?: unknown, signal?: AbortSignal) =>
    calls.send(method, to, { body, resend: false, signal });
  const read = (to: string, query: Record<string, string | number | undefined> = {}, signal?: AbortSignal) =>
    calls.read(to, query, signal);
  return {
    async create(webhook, extras = {}) {
      return ((await send("POST", "v1/webhooks", webhook, extras.signal)) as { webhook: WebhookWithSecret }).webhook;
    },
    async list(filter = {}, extras = {}) {
      return (await read("v1/webhooks", { ...filter }, extras.signal)) as WebhookPage;
    },
    async get(id, extras = {}) {
      return ((await read(path(id), {}, extras.signal)) as { webhook: Webhook }).webhook;
    },
    async update(id, change, extras = {}) {
      return ((await send("PATCH", path(id), change, extras.signal)) as { webhook: Webhook }).webhook;
    },
    async delete(id, extras = {}) {
      await send("DELETE", path(id), undefined, extras.signal);
    },
    async rotateSecret(id, extras = {}) {
      const answer = (await send("POST", path(id, "/rotate-secret"), undefined, extras.signal)) as {
        webhook: WebhookWithSecret;
      };
      return answer.webhook;
    },
    async deliveries(id, filter = {}, extras = {}) {
      return (await read(path(id, "/deliveries"), { ...filter }, extras.signal)) as WebhookDeliveryPage;
    },
    async redeliver(id, deliveryId, extras = {}) {
      const to = path(id, `/deliveries/${encodeURIComponent(deliveryId)}/redeliver`);
      return ((await send("POST", to, undefined, extras.signal)) as { delivery: WebhookDelivery }).delivery;
    },
  };
}

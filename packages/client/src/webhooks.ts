import type {
  CreateWebhookRequest,
  UpdateWebhookRequest,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookPage,
  WebhookWithSecret,
} from "./generated/types.ts";
import { resourceOf, type Extras, type ResourceCalls } from "./resource.ts";
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

interface WebhookTypes {
  view: Webhook;
  /** The only answer (with `rotateSecret`'s) that shows its `whsec_…` secret. */
  created: WebhookWithSecret;
  body: CreateWebhookRequest;
  /** `{ enabled: true }` re-enables one the sender disabled. */
  change: UpdateWebhookRequest;
  filter: WebhookListFilter;
  page: WebhookPage;
}

/** Completion webhooks (org admins, services, operators), newest first in lists. */
export interface WebhooksApi extends ResourceCalls<WebhookTypes> {
  rotateSecret: (id: string, extras?: Extras) => Promise<WebhookWithSecret>;
  /** One page of its deliveries, newest first, with every attempt. */
  deliveries: (id: string, filter?: PageFilter, extras?: Extras) => Promise<WebhookDeliveryPage>;
  /** Sends a delivery again now, under the same `webhook-id`. */
  redeliver: (id: string, deliveryId: string, extras?: Extras) => Promise<WebhookDelivery>;
}

export function webhooksApi(transport: Transport): WebhooksApi {
  // Every change is sent once: a DELETE resent after its answer was lost answers 404, and a second
  // rotation would replace the secret the lost answer carried.
  const hooks = resourceOf<WebhookTypes>(transport, { base: "v1/webhooks", key: "webhook", resendChanges: false });
  const { path, one } = hooks;
  return {
    ...hooks.calls,
    async rotateSecret(id, extras = {}) {
      const to = path(id, "/rotate-secret");
      return one(await hooks.send("POST", to, { resend: false, signal: extras.signal })) as WebhookWithSecret;
    },
    async deliveries(id, filter = {}, extras = {}) {
      return (await hooks.read(path(id, "/deliveries"), { ...filter }, extras.signal)) as WebhookDeliveryPage;
    },
    async redeliver(id, deliveryId, extras = {}) {
      const to = path(id, `/deliveries/${encodeURIComponent(deliveryId)}/redeliver`);
      const answer = await hooks.send("POST", to, { resend: false, signal: extras.signal });
      return (answer as { delivery: WebhookDelivery }).delivery;
    },
  };
}

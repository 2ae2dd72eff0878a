import { Router } from "express";
import type { WebhookDeliveryPage } from "@jobstream/contract";
import { listWebhookDeliveries, redeliverWebhookDelivery, type Queryable } from "@jobstream/db";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { pageAnswer, pageRequest } from "../jobs/cursor";
import { toDeliveryView } from "./webhook-view";
import { deliveryListQuerySchema, deliveryParamsSchema } from "./schemas";
import { loadWebhook } from "./webhooks-route";

/** A webhook's deliveries (attempts, status codes, latency, next attempt) and redelivery on demand. */
export function webhookDeliveriesRouter(deps: { readonly pool: Queryable }): Router {
  const router = Router();

  router.get("/v1/webhooks/:id/deliveries", async (req, res) => {
    const hook = await loadWebhook(deps, req);
    const q = parseOr400(deliveryListQuerySchema, req.query);
    const page = await listWebhookDeliveries(deps.pool, hook.id, pageRequest(q));
    res.json(pageAnswer("deliveries", page, toDeliveryView) satisfies WebhookDeliveryPage);
  });

  router.post("/v1/webhooks/:id/deliveries/:deliveryId/redeliver", async (req, res) => {
    const hook = await loadWebhook(deps, req);
    const { deliveryId } = parseOr400(deliveryParamsSchema, req.params);
    // A disabled endpoint sends nothing: re-enabling it (PATCH) is the explicit step that says it works again.
    if (!hook.enabled) throw new ApiError("conflict", "the webhook is disabled: enable it first (PATCH enabled: true)");
    const row = await redeliverWebhookDelivery(deps.pool, hook.id, deliveryId);
    if (row === null) throw new ApiError("not_found", "no such delivery");
    res.status(202).json({ delivery: toDeliveryView(row) });
  });
  return router;
}

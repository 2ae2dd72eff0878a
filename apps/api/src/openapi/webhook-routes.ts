import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import {
  createWebhookBodySchema,
  updateWebhookBodySchema,
  webhookAnswerSchema,
  webhookDeliveryAnswerSchema,
  webhookDeliveryPageSchema,
  webhookPageSchema,
  webhookSecretAnswerSchema,
} from "@jobstream/contract";
import {
  deliveryListQuerySchema,
  deliveryParamsSchema,
  webhookIdParamsSchema,
  webhookListQuerySchema,
} from "../webhooks/schemas";
import { bearer, errors, json } from "./route-kit";

const params = { params: webhookIdParamsSchema };
const body = <S extends Parameters<typeof json>[0]>(schema: S) => ({
  body: { content: { "application/json": { schema } } },
});
/** Every webhook operation: org admins, services and operators; members 403, other orgs 404. */
const managed = (...more: Parameters<typeof errors>) =>
  errors("validation_failed", "unauthorized", "forbidden", "not_found", "rate_limited", ...more);
const common = { tags: ["webhooks"], security: bearer };

/** Completion webhooks (Standard Webhooks) and their deliveries. */
export const webhookRoutes: RouteConfig[] = [
  {
    ...common,
    method: "post",
    path: "/v1/webhooks",
    operationId: "createWebhook",
    summary: "Create a completion webhook (the answer is the only one, with rotation, that shows its secret)",
    description:
      "Deliveries are POSTed as JSON `{ type, timestamp, data: <job> }` with the Standard Webhooks headers " +
      "`webhook-id`, `webhook-timestamp`, `webhook-signature`; verify them with the `standardwebhooks` package " +
      "and the `whsec_…` secret. Private, loopback and link-local addresses are refused unless the deployment " +
      "sets WEBHOOK_ALLOW_PRIVATE.",
    request: body(createWebhookBodySchema),
    responses: { 201: json(webhookSecretAnswerSchema, "Created, with its secret"), ...managed() },
  },
  {
    ...common,
    method: "get",
    path: "/v1/webhooks",
    operationId: "listWebhooks",
    summary: "Webhooks of the caller's org (services and operators: every org, or `orgId`)",
    request: { query: webhookListQuerySchema },
    responses: { 200: json(webhookPageSchema, "A page of webhooks, newest first"), ...managed() },
  },
  {
    ...common,
    method: "get",
    path: "/v1/webhooks/{id}",
    operationId: "getWebhook",
    summary: "One webhook (never its secret)",
    request: params,
    responses: { 200: json(webhookAnswerSchema, "The webhook"), ...managed() },
  },
  {
    ...common,
    method: "patch",
    path: "/v1/webhooks/{id}",
    operationId: "updateWebhook",
    summary: "Change a webhook; `enabled: true` re-enables one disabled after a day of failures",
    request: { ...params, ...body(updateWebhookBodySchema) },
    responses: { 200: json(webhookAnswerSchema, "The changed webhook"), ...managed() },
  },
  {
    ...common,
    method: "delete",
    path: "/v1/webhooks/{id}",
    operationId: "deleteWebhook",
    summary: "Delete a webhook and its deliveries",
    request: params,
    responses: { 204: { description: "Deleted" }, ...managed() },
  },
  {
    ...common,
    method: "post",
    path: "/v1/webhooks/{id}/rotate-secret",
    operationId: "rotateWebhookSecret",
    summary: "Replace the signing secret (answered once); later deliveries are signed with the new one",
    request: params,
    responses: { 200: json(webhookSecretAnswerSchema, "The webhook with its new secret"), ...managed() },
  },
  {
    ...common,
    method: "get",
    path: "/v1/webhooks/{id}/deliveries",
    operationId: "listWebhookDeliveries",
    summary: "Deliveries of a webhook, newest first: attempts, status codes, latency, errors, next attempt",
    request: { ...params, query: deliveryListQuerySchema },
    responses: { 200: json(webhookDeliveryPageSchema, "A page of deliveries"), ...managed() },
  },
  {
    ...common,
    method: "post",
    path: "/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
    operationId: "redeliverWebhookDelivery",
    summary: "Send a delivery again now, under the same `webhook-id`",
    request: { params: deliveryParamsSchema },
    responses: {
      202: json(webhookDeliveryAnswerSchema, "Due now"),
      ...managed("conflict"),
    },
  },
];

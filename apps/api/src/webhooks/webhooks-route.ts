import { randomBytes, randomUUID } from "node:crypto";
import { Router, type Request } from "express";
import { createWebhookBodySchema, updateWebhookBodySchema, type Role, type WebhookPage } from "@jobstream/contract";
import {
  deleteWebhook,
  findWebhook,
  insertWebhook,
  listWebhooks,
  rotateWebhookSecret,
  updateWebhook,
  type Queryable,
  type WebhookRow,
} from "@jobstream/db";
import { isJobTypeName, isJobTypeOpenTo, jobTypes } from "@jobstream/job-types";
import { refusedUrlReason } from "@jobstream/runtime";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { pageAnswer, pageRequest } from "../jobs/cursor";
import { canManageWebhookOf, orgForNewWebhook, webhookListOrg, webhookManager } from "./webhook-access";
import { toWebhookView, withSecret } from "./webhook-view";
import { webhookIdParamsSchema, webhookListQuerySchema } from "./schemas";

export interface WebhookDeps {
  readonly pool: Queryable;
  /** `ENABLE_SYNTHETIC_JOBS`: whether development types may be named in `types`. */
  readonly developmentTypes: boolean;
  /** `WEBHOOK_ALLOW_PRIVATE`: private and loopback URLs are accepted (tests, development). */
  readonly allowPrivate: boolean;
}

/** `whsec_` + a base64 key: the Standard Webhooks secret format its libraries read. */
const newSecret = (): string => `whsec_${randomBytes(24).toString("base64")}`;

/** Field checks zod cannot make: the caller's job types, and addresses refused without a send. */
function checkTargets(deps: WebhookDeps, role: Role, body: { url?: string; types?: readonly string[] }): void {
  const issues: { path: string; message: string }[] = [];
  const refused = body.url === undefined || deps.allowPrivate ? null : refusedUrlReason(body.url);
  if (refused !== null) issues.push({ path: "url", message: `refused: ${refused} (WEBHOOK_ALLOW_PRIVATE is off)` });
  const audience = { role, developmentTypes: deps.developmentTypes };
  body.types?.forEach((type, i) => {
    // Types the caller may not enqueue are unknown, exactly like names that do not exist.
    if (!isJobTypeName(type) || !isJobTypeOpenTo(jobTypes[type], audience)) {
      issues.push({ path: `types.${i}`, message: `unknown job type "${type}"` });
    }
  });
  if (issues.length > 0) throw new ApiError("validation_failed", "request is invalid", issues);
}

/** The webhook named in the path, if the caller may manage it (else 404, never 403). */
export async function loadWebhook(deps: Pick<WebhookDeps, "pool">, req: Request): Promise<WebhookRow> {
  const principal = webhookManager(principalOf(req));
  const { id } = parseOr400(webhookIdParamsSchema, { id: req.params.id });
  const row = await findWebhook(deps.pool, id);
  if (row === null || !canManageWebhookOf(principal, row.orgId)) throw new ApiError("not_found", "no such webhook");
  return row;
}

/** Create, list, read, change, delete and rotate the secret of completion webhooks. */
export function webhooksRouter(deps: WebhookDeps): Router {
  const router = Router();

  router.post("/v1/webhooks", async (req, res) => {
    const principal = webhookManager(principalOf(req));
    const body = parseOr400(createWebhookBodySchema, req.body);
    checkTargets(deps, principal.role, body);
    const orgId = orgForNewWebhook(principal, body.orgId);
    const row = await insertWebhook(deps.pool, {
      id: randomUUID(),
      orgId,
      url: body.url,
      events: body.events,
      types: [...new Set(body.types ?? [])],
      secret: newSecret(),
    });
    res.status(201).json({ webhook: withSecret(row) });
  });

  router.get("/v1/webhooks", async (req, res) => {
    const principal = webhookManager(principalOf(req));
    const q = parseOr400(webhookListQuerySchema, req.query);
    const page = await listWebhooks(deps.pool, webhookListOrg(principal, q.orgId), pageRequest(q));
    res.json(pageAnswer("webhooks", page, toWebhookView) satisfies WebhookPage);
  });

  router.get("/v1/webhooks/:id", async (req, res) => {
    res.json({ webhook: toWebhookView(await loadWebhook(deps, req)) });
  });

  router.patch("/v1/webhooks/:id", async (req, res) => {
    const row = await loadWebhook(deps, req);
    const change = parseOr400(updateWebhookBodySchema, req.body);
    checkTargets(deps, webhookManager(principalOf(req)).role, change);
    const types = change.types === undefined ? undefined : [...new Set(change.types)];
    const updated = await updateWebhook(deps.pool, row.id, { ...change, types });
    if (updated === null) throw new ApiError("not_found", "no such webhook");
    res.json({ webhook: toWebhookView(updated) });
  });

  router.delete("/v1/webhooks/:id", async (req, res) => {
    const row = await loadWebhook(deps, req);
    if (!(await deleteWebhook(deps.pool, row.id))) throw new ApiError("not_found", "no such webhook");
    res.status(204).end();
  });

  router.post("/v1/webhooks/:id/rotate-secret", async (req, res) => {
    const row = await loadWebhook(deps, req);
    const rotated = await rotateWebhookSecret(deps.pool, row.id, newSecret());
    if (rotated === null) throw new ApiError("not_found", "no such webhook");
    res.json({ webhook: withSecret(rotated) });
  });
  return router;
}

import { Router, type Request } from "express";
import { z } from "zod";
import { orgLimitBodySchema, type OrgLimit, type QueueAnswer, type QueueList } from "@jobstream/contract";
import { readOrgLimit, writeOrgLimit } from "@jobstream/queue";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { queueNamed, queueViews, setQueuesPaused, type QueueDeps } from "../queues/queue-controls";

export const queueNameParamsSchema = z.object({ name: z.string().min(1).max(100) });
export const queueListQuerySchema = z.object({}).strict();
export const orgLimitParamsSchema = queueNameParamsSchema.extend({ orgId: z.uuid() });

/** Queues are shared by every org: operators and services read them, only operators change them. */
function requireRole(req: Request, roles: readonly string[], what: string): string | null {
  const principal = principalOf(req);
  if (principal.kind !== "token") throw new ApiError("unauthorized", `${what} need a bearer token`);
  if (!roles.includes(principal.role)) throw new ApiError("forbidden", `${what} are for ${roles.join(" and ")} tokens`);
  return principal.userId;
}

/**
 * `GET /v1/queues`, `POST /v1/queues/:name/pause` and `/resume`, and an org's concurrency cap in a
 * queue: `GET` and `PUT /v1/queues/:name/orgs/:orgId/limit` (operators only: caps are queue controls).
 */
export function queuesRouter(deps: QueueDeps): Router {
  const router = Router();
  router.get("/v1/queues", async (req, res) => {
    requireRole(req, ["operator", "service"], "queues");
    parseOr400(queueListQuerySchema, req.query);
    const answer: QueueList = { queues: await queueViews(deps) };
    res.json(answer);
  });
  for (const action of ["pause", "resume"] as const) {
    router.post(`/v1/queues/:name/${action}`, async (req, res) => {
      const by = requireRole(req, ["operator"], "queue controls");
      const { name } = parseOr400(queueNameParamsSchema, req.params);
      queueNamed(deps, name);
      await setQueuesPaused(deps, [name], action === "pause", by);
      const [queue] = await queueViews(deps, [name]);
      if (!queue) throw new ApiError("not_found", "no such queue");
      const answer: QueueAnswer = { queue };
      res.json(answer);
    });
  }
  const orgLimit = async (name: string, orgId: string): Promise<OrgLimit> => ({
    queue: name,
    orgId,
    ...(await readOrgLimit(deps.producer.connection, deps.producer.keys, name, orgId)),
  });
  router.get("/v1/queues/:name/orgs/:orgId/limit", async (req, res) => {
    requireRole(req, ["operator"], "queue controls");
    const { name, orgId } = parseOr400(orgLimitParamsSchema, req.params);
    queueNamed(deps, name);
    res.json(await orgLimit(name, orgId));
  });
  router.put("/v1/queues/:name/orgs/:orgId/limit", async (req, res) => {
    requireRole(req, ["operator"], "queue controls");
    const { name, orgId } = parseOr400(orgLimitParamsSchema, req.params);
    const { limit } = parseOr400(orgLimitBodySchema, req.body);
    queueNamed(deps, name);
    await writeOrgLimit(deps.producer.connection, deps.producer.keys, name, orgId, limit);
    res.json(await orgLimit(name, orgId));
  });
  return router;
}

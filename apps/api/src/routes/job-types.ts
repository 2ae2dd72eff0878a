import { Router } from "express";
import { describeJobTypes } from "@jobstream/job-types";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";

/**
 * `GET /v1/job-types`: the types the caller may enqueue, with the JSON Schema of their input,
 * output and items. System types (maintenance) appear for operators and services only, and
 * development types (synthetic) only where `ENABLE_SYNTHETIC_JOBS` is on.
 */
export function jobTypesRouter(developmentTypes: boolean): Router {
  const router = Router();
  const roles = ["member", "admin", "operator", "service"] as const;
  const described = new Map(roles.map((role) => [role, describeJobTypes({ role, developmentTypes })]));
  router.get("/v1/job-types", (req, res) => {
    const principal = principalOf(req);
    if (principal.kind !== "token") throw new ApiError("unauthorized", "job types need a bearer token");
    res.json({ jobTypes: described.get(principal.role) ?? [] });
  });
  return router;
}

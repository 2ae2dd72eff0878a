import { Router } from "express";
import { describeJobTypes } from "@jobstream/job-types";

/** `GET /v1/job-types`: every registered type with the JSON Schema of its input, output and items. */
export function jobTypesRouter(): Router {
  const router = Router();
  const described = describeJobTypes();
  router.get("/v1/job-types", (_req, res) => {
    res.json({ jobTypes: described });
  });
  return router;
}

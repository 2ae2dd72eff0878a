import { Router } from "express";
import swaggerUi from "swagger-ui-express";
import { openApiDocument } from "./document";

/** `/openapi.json` and the rendered `/docs` (swagger-ui assets come from the npm package). */
export function openApiRouter(developmentTypes = false): Router {
  const document = openApiDocument(developmentTypes);
  const router = Router();
  router.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  router.use("/docs", swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: "Jobstream API" }));
  return router;
}

import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { jobRoutes } from "./job-routes";
import { operationsRoutes } from "./operations-routes";
import { queueRoutes } from "./queue-routes";
import { scheduleRoutes } from "./schedule-routes";
import { webhookRoutes } from "./webhook-routes";

/** The OpenAPI 3.1 document, generated from the zod schemas the routes validate and answer with. */
export function openApiDocument(developmentTypes = false): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "`pnpm token` prints one in development.",
  });
  registry.registerComponent("securitySchemes", "jobToken", {
    type: "apiKey",
    in: "header",
    name: "X-Job-Token",
    description: "The `accessToken` an enqueue answered with: reads of that one job.",
  });
  for (const route of [
    ...jobRoutes(developmentTypes),
    ...operationsRoutes,
    ...queueRoutes,
    ...scheduleRoutes,
    ...webhookRoutes,
  ])
    registry.registerPath(route);
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Jobstream API",
      version: "1.0.0",
      description: "Enqueue long-running jobs, follow them live, read their outcomes.",
      license: { name: "UNLICENSED", identifier: "UNLICENSED" },
    },
    servers: [{ url: "/", description: "The server that serves this document" }],
    tags: [
      { name: "jobs", description: "Enqueue, read, list, cancel and retry jobs" },
      { name: "schedules", description: "Recurring jobs: cron patterns or fixed intervals" },
      { name: "streams", description: "Live job changes as Server-Sent Events" },
      { name: "job types", description: "The registered job types and their input schemas" },
      { name: "webhooks", description: "Completion webhooks (Standard Webhooks) and their deliveries" },
      { name: "stats", description: "Monitoring views for admins, operators and services" },
      { name: "queues", description: "Queue depths and controls, shared by every org (operators)" },
      { name: "admin", description: "Platform operators only" },
      { name: "session", description: "Dashboard sign-in" },
      { name: "health", description: "Probes for orchestrators" },
    ],
  });
  const schemas = document.components?.schemas;
  // The recursive JSON-value union (job-types' jsonValueSchema) makes openapi-typescript emit a type
  // that references itself (TS2502), so generated clients do not compile. In a JSON body every value
  // is a JSON value, so the unconstrained schema says the same thing.
  if (schemas?.JsonValue !== undefined) schemas.JsonValue = { description: "Any JSON value" };
  return document;
}

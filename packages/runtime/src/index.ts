export * from "./env-schema";
export * from "./health-answer";
export * from "./logger";
export * from "./queue-names";
export * from "./readiness";
export * from "./redis";
export * from "./roles";
export * from "./shutdown";

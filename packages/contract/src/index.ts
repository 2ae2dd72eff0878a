export * from "./auth";
export * from "./errors";
export * from "./job";
export * from "./job-types";
export * from "./secret-strength";
export * from "./status";
export * from "./mirror";

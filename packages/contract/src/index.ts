export * from "./auth";
export * from "./errors";
export * from "./job";
export * from "./secret-strength";
export * from "./status";

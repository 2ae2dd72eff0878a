export * from "./auth";
export * from "./errors";
export * from "./job";
export * from "./status";
export * from "./mirror";

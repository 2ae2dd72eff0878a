export * from "./database";
export * from "./env";
export * from "./prefix";
export * from "./process";
export * from "./redis-server";
export * from "./system";
export * from "./tokens";
export * from "./wait";

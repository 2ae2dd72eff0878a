export * from "./database";
export * from "./env";
export * from "./prefix";
export * from "./process";

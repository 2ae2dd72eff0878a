export * from "./changes";
export * from "./enqueue";
export * from "./job-data";
export * from "./keys";
export * from "./producer";
export * from "./publisher";
export * from "./scripts";
export * from "./wire";

export { createDb, type CreateDbOptions, type Db, type DbOrTx } from "./client";
export type { Job, JobEvent, JobItem } from "./generated/prisma/client";
export { Prisma } from "./generated/prisma/client";
export * from "./repositories/health";
export * from "./repositories/jobs";
export * from "./repositories/stats";
export * from "./status";

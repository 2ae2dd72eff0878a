// BullMQ peer: the hand-written mirror teams write today: QueueEvents → Prisma, one statement per change.
import { QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { createDb } from "@jobstream/db";
import { COMPLETE_SQL, ITEMS_SQL, START_SQL } from "./peer-sql";

const [redisUrl, prefix, databaseUrl] = process.argv.slice(2);
const prisma = createDb({ connectionString: databaseUrl ?? "", max: 10 });
const connection = new Redis(redisUrl ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const events = new QueueEvents("peer", { connection, prefix });
events.on("error", (error) => {
  console.error(error);
});
const report = (error: unknown) => {
  console.error(error);
};
events.on("active", ({ jobId }) => {
  prisma.$executeRawUnsafe(START_SQL, jobId).catch(report);
});
events.on("completed", ({ jobId, returnvalue }) => {
  // BullMQ hands the return value over as the worker serialized it.
  const value: unknown = typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue;
  const refs = (value as { items: string[] }).items;
  prisma
    .$executeRawUnsafe(ITEMS_SQL, jobId, refs)
    .then(() => prisma.$executeRawUnsafe(COMPLETE_SQL, jobId, JSON.stringify({ items: refs.length })))
    .catch(report);
});
await events.waitUntilReady();
process.on("SIGTERM", () => {
  void events
    .close()
    .then(() => prisma.$disconnect())
    .then(() => connection.quit())
    .then(() => process.exit(0));
});
console.log(JSON.stringify({ msg: "peer mirror ready" }));

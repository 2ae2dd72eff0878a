import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;
/** A client or an interactive transaction: repository functions accept either. */
export type DbOrTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface CreateDbOptions {
  readonly connectionString: string;
  /** Pool size. @defaultValue 10 */
  readonly max?: number;
  /** Give up connecting after this long (a read replica that does not answer). @defaultValue no limit */
  readonly connectionTimeoutMillis?: number;
}

/** The Prisma 7 client over node-postgres (no native engine). Callers own `$disconnect()`. */
export function createDb(options: CreateDbOptions): Db {
  const adapter = new PrismaPg({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis,
  });
  return new PrismaClient({ adapter });
}

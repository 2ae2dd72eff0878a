import pg from "pg";

/** Anything that runs a query: a pool, a pooled client, or a client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string | pg.QueryConfig,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** The one row a statement returns (a lookup by key, an UPDATE … RETURNING), or null when none matched. */
export async function queryOne<R extends pg.QueryResultRow>(
  db: Queryable,
  text: string | pg.QueryConfig,
  values?: unknown[],
): Promise<R | null> {
  const { rows } = await db.query<R>(text, values);
  return rows[0] ?? null;
}

export interface CreatePoolOptions {
  readonly connectionString: string;
  /** @defaultValue 10 */
  readonly max?: number;
  /** Give up connecting after this long (a read replica that does not answer). @defaultValue no limit */
  readonly connectionTimeoutMillis?: number;
}

/**
 * A plain node-postgres pool for the hot paths (mirror batches, outbox) where one multi-row
 * statement per batch matters more than Prisma's query layer. Callers own `end()`.
 */
export function createPool(options: CreatePoolOptions): pg.Pool {
  return new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis,
  });
}

/** Runs `fn` in a transaction on one pooled client. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

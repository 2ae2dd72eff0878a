import type { Request, RequestHandler } from "express";
import { walInsertPosition, type Db, type Queryable } from "@jobstream/db";
import { isPostgresUnavailable, type Logger, type RedisClient } from "@jobstream/runtime";
import { attachedPrincipal } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { callerKey } from "../http/hardening";
import { capPresented, CONSISTENCY_HEADER, formatLsn, parseLsn, routeRead } from "./consistency";
import type { ReplicaMonitor } from "./replica-monitor";

/** The handles one read runs on: the primary's, or the replica's. */
export interface Reader {
  readonly db: Db;
  readonly pool: Queryable;
  readonly fromReplica: boolean;
}

/** Why a read went where it did (the `reason` label of `jobstream_reads_total`). */
export type ReadReason = "caught_up" | "waited" | "behind" | "unhealthy" | "unknown_writes" | "retried" | "no_replica";

export interface ReadRoutingOptions {
  readonly primary: { readonly db: Db; readonly pool: Queryable };
  /** DATABASE_READ_URL's handles and the monitor that says whether they may serve. */
  readonly replica?: { readonly db: Db; readonly pool: Queryable; readonly monitor: ReplicaMonitor };
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly logger: Logger;
  /** A read behind its caller's last write waits this long for the replica (REPLICA_READ_WAIT_MS). */
  readonly waitMs: number;
  /** A caller's last write position is remembered this long (REPLICA_REMEMBER_WRITES_MS). */
  readonly rememberMs: number;
}

/** Raises the caller's remembered position, never lowers it (two API processes may race). */
const REMEMBER = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

/** Who reads, for read-your-writes: the request's principal (if any) and its `X-Jobstream-Consistency`. */
export interface ReadCaller {
  readonly principal: Principal | undefined;
  readonly consistency: string | undefined;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Sends reads to the replica when it may serve them, keeping read-your-writes: after a request
 * that may have written (a 2xx/3xx POST, PUT, PATCH, DELETE), the primary's WAL position is
 * returned in `X-Jobstream-Consistency` and remembered in Redis for the caller (its user, or its
 * job token); a later read of that caller (any API process), or one presenting the header, is
 * served by the replica only once it has replayed that far — waiting up to `waitMs` — else by the
 * primary. A replica that is down, lagging or failing a query sends reads to the primary.
 */
export class ReadRouting {
  readonly primary: Reader;
  private readonly replica: Reader | undefined;
  readonly tally = new Map<string, number>();

  constructor(private readonly options: ReadRoutingOptions) {
    this.primary = { db: options.primary.db, pool: options.primary.pool, fromReplica: false };
    this.replica = options.replica && { db: options.replica.db, pool: options.replica.pool, fromReplica: true };
  }

  get monitor(): ReplicaMonitor | undefined {
    return this.options.replica?.monitor;
  }

  /**
   * Runs `fn` where `req`'s caller sees its own writes. `again`: results the replica may only
   * seem to have (a job not found yet, created by someone else a moment ago) are read again on
   * the primary.
   */
  read<T>(req: Request, fn: (reader: Reader) => Promise<T>, again?: (result: T) => boolean): Promise<T> {
    return this.readFor({ principal: attachedPrincipal(req), consistency: req.get(CONSISTENCY_HEADER) }, fn, again);
  }

  /** {@link read} for a caller known by its principal and the consistency header it presented. */
  async readFor<T>(caller: ReadCaller, fn: (reader: Reader) => Promise<T>, again?: (result: T) => boolean): Promise<T> {
    const presented = caller.consistency === undefined ? 0n : parseLsn(caller.consistency);
    const monitor = this.monitor;
    if (monitor === undefined) return this.count(fn, this.primary, "no_replica");
    if (monitor.health.status !== "ok") return this.count(fn, this.primary, "unhealthy");
    const remembered = await this.remembered(caller.principal);
    if (remembered === null) return this.count(fn, this.primary, "unknown_writes");
    const asked = await this.capped(presented, monitor);
    return this.atLeast(asked > remembered ? asked : remembered, fn, again);
  }

  /**
   * A presented position beyond the newest this process knows the primary at is checked against
   * the primary's position now (one shared query) and capped to it: no read waits for WAL that
   * was never written. If the primary cannot say, the newest known position caps it.
   */
  private async capped(presented: bigint, monitor: ReplicaMonitor): Promise<bigint> {
    if (presented <= monitor.primaryPosition) return presented;
    const newest = await monitor.refreshPrimary().catch(() => monitor.primaryPosition);
    return capPresented(presented, newest);
  }

  /** Runs `fn` on data at least as fresh as the primary's now (change streams re-reading announced jobs). */
  async readCurrent<T>(fn: (reader: Reader) => Promise<T>): Promise<T> {
    if (this.monitor?.health.status !== "ok") return fn(this.primary);
    return this.atLeast(await walInsertPosition(this.primary.pool), fn);
  }

  /** Middleware for every route: remembers and returns the primary's position after writes. */
  readonly afterWrites: RequestHandler = (req, res, next) => {
    if (this.replica === undefined || !WRITE_METHODS.has(req.method)) {
      next();
      return;
    }
    // Like express-session: the answer is held until the position is known, so the caller's next
    // read (which may reach another API process at once) finds it in Redis.
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      if (res.statusCode >= 400 || res.headersSent) return end(...args);
      void this.noteWrite(req).then((position) => {
        if (position !== null && !res.headersSent) res.setHeader(CONSISTENCY_HEADER, formatLsn(position));
        end(...args);
      });
      return res;
    }) as typeof res.end;
    next();
  };

  private async atLeast<T>(
    required: bigint,
    fn: (reader: Reader) => Promise<T>,
    again?: (result: T) => boolean,
  ): Promise<T> {
    const monitor = this.monitor;
    const replica = this.replica;
    if (monitor === undefined || replica === undefined) return fn(this.primary);
    let reason: ReadReason = "caught_up";
    switch (routeRead(monitor.health, required)) {
      case "primary":
        return this.count(fn, this.primary, "unhealthy");
      case "wait":
        if (!(await monitor.reaches(required, this.options.waitMs).catch(() => false)))
          return this.count(fn, this.primary, "behind");
        reason = "waited";
        break;
      case "replica":
        break;
    }
    try {
      const result = await fn(replica);
      if (again?.(result) === true) return await this.count(fn, this.primary, "retried");
      this.bump("replica", reason);
      return result;
    } catch (error) {
      // An outage stops replica reads until a probe finds it back; a query cancelled by replay
      // (a conflict with recovery) is just read again.
      if (isPostgresUnavailable(error)) monitor.noteFailure(error);
      return this.count(fn, this.primary, "retried");
    }
  }

  private count<T>(fn: (reader: Reader) => Promise<T>, reader: Reader, reason: ReadReason): Promise<T> {
    this.bump(reader.fromReplica ? "replica" : "primary", reason);
    return fn(reader);
  }

  private bump(target: "replica" | "primary", reason: ReadReason): void {
    const key = `${target}:${reason}`;
    this.tally.set(key, (this.tally.get(key) ?? 0) + 1);
  }

  private key(principal: Principal | undefined): string | null {
    return principal === undefined ? null : `${this.options.prefix}:~written:${callerKey(principal)}`;
  }

  /** The caller's last write position (0n: none remembered), or null when Redis cannot say. */
  private async remembered(principal: Principal | undefined): Promise<bigint | null> {
    const key = this.key(principal);
    if (key === null) return 0n;
    try {
      const value = await this.options.redis.get(key);
      return value === null ? 0n : BigInt(value);
    } catch {
      return null;
    }
  }

  private async noteWrite(req: Request): Promise<bigint | null> {
    try {
      const position = await walInsertPosition(this.primary.pool);
      this.monitor?.notePrimary(position);
      const key = this.key(attachedPrincipal(req));
      if (key !== null) await this.options.redis.eval(REMEMBER, 1, key, position.toString(), this.options.rememberMs);
      return position;
    } catch (error) {
      // Primary or Redis out: this caller's reads go to the primary while Redis cannot say (above).
      this.options.logger.warn({ err: (error as Error).message }, "could not record a write position");
      return null;
    }
  }
}

import type { Logger } from "pino";
import { isOutageError } from "./outage-errors";
import {
  checkReadiness,
  type DependencyName,
  type DependencyState,
  type Readiness,
  type ReadinessChecks,
} from "./readiness";

export interface StateChange {
  readonly level: "warn" | "info";
  readonly msg: string;
}

/**
 * The log line a dependency's state change deserves, or null: one line when it goes down, one when
 * it is back, nothing for "still down" or for the first "ok" at start.
 */
export function describeChange(
  name: DependencyName,
  previous: DependencyState | undefined,
  next: DependencyState,
): StateChange | null {
  if (previous === next) return null;
  if (next === "down") return { level: "warn", msg: `${name} down` };
  if (next === "migrations_pending") return { level: "warn", msg: `${name} migrations pending` };
  if (previous === "down") return { level: "info", msg: `${name} back` };
  if (previous === "migrations_pending") return { level: "info", msg: `${name} migrations applied` };
  return null;
}

export interface DependencyWatchOptions extends ReadinessChecks {
  readonly logger: Logger;
  /** Probe period while everything answers. @defaultValue 5000 */
  readonly intervalMs?: number;
  /** Probe period while something is out, so "back" is noticed soon. @defaultValue 1000 */
  readonly downIntervalMs?: number;
}

/**
 * Knows whether Redis and Postgres answer, from probes and from the errors commands fail with, and
 * logs each change once per process — instead of every connection and every failed command
 * logging its own error while a dependency is out.
 */
export class DependencyWatch {
  private readonly states: Partial<Record<DependencyName, DependencyState>> = {};
  private readonly since: Partial<Record<DependencyName, number>> = {};
  private probing: Promise<Readiness> | undefined;
  private lastNudge = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: DependencyWatchOptions) {}

  /** Probes periodically until `stop()`. */
  start(): void {
    const loop = () => {
      if (this.stopped) return;
      void this.check().finally(() => {
        if (this.stopped) return;
        const anyOut = Object.values(this.states).some((s) => s !== "ok");
        this.timer = setTimeout(
          loop,
          anyOut ? (this.options.downIntervalMs ?? 1000) : (this.options.intervalMs ?? 5000),
        );
        this.timer.unref();
      });
    };
    loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Probes both dependencies now (one probe at a time) and records what it found. */
  check(): Promise<Readiness> {
    this.probing ??= checkReadiness(this.options).then((readiness) => {
      this.probing = undefined;
      this.record(readiness);
      return readiness;
    });
    return this.probing;
  }

  isDown(name: DependencyName): boolean {
    return this.states[name] === "down";
  }

  /**
   * For error listeners and catch blocks: true when `error` means a dependency is out, in which
   * case the caller stays quiet (this watch confirms with a probe and logs the change once).
   */
  noteError(error: unknown): boolean {
    if (!isOutageError(error)) return false;
    const now = Date.now();
    const known = this.states.redis === "down" || this.states.postgres === "down";
    if (!known && now - this.lastNudge > 250) {
      this.lastNudge = now;
      void this.check();
    }
    return true;
  }

  private record(readiness: Readiness): void {
    for (const name of ["redis", "postgres"] as const) {
      const next = readiness.checks[name];
      const previous = this.states[name];
      const change = describeChange(name, previous, next);
      this.states[name] = next;
      if (change === null) continue;
      const now = Date.now();
      const downMs =
        previous !== undefined && this.since[name] !== undefined ? now - (this.since[name] ?? now) : undefined;
      this.since[name] = now;
      const fields = {
        dependency: name,
        state: next,
        err: readiness.errors[name],
        pendingMigrations: name === "postgres" ? readiness.pendingMigrations : undefined,
        outageMs: change.level === "info" ? downMs : undefined,
      };
      this.options.logger[change.level](fields, change.msg);
    }
  }
}

/** What roles need from the watch: to hand it the errors their commands fail with. */
export interface OutageReporter {
  /** True when `error` means a dependency is out: the caller then stays quiet (the change is logged once). */
  noteError(error: unknown): boolean;
}

/**
 * The `error` listener every ioredis connection and BullMQ queue/worker needs (without one, an
 * error event ends the process): outage errors go to the watch, anything else is logged.
 */
export function errorListener(
  outages: OutageReporter,
  logger: Logger,
  what: string,
  fields: Record<string, unknown> = {},
): (error: Error) => void {
  return (error) => {
    if (!outages.noteError(error)) logger.warn({ ...fields, err: error.message }, what);
  };
}

import type { ScheduleAnswer, SchedulePage, ScheduleView } from "./generated/types.ts";
import type { EnqueueRequest, UncheckedEnqueueRequest } from "./enqueue-request.ts";
import { callsOf } from "./calls.ts";
import type { Transport } from "./transport.ts";

/** Fields of an enqueue a schedule sets itself for every run. */
type PerRun = "idempotencyKey" | "runAt" | "delayMs" | "parentId";

/** What `POST /v1/schedules` takes: `cron` (read in `timezone`) or `everyMs`, and the job each tick enqueues. */
export interface ScheduleRequest {
  name: string;
  cron?: string;
  everyMs?: number;
  /** IANA zone of the cron pattern (default UTC). */
  timezone?: string;
  /** Typed like `jobs.enqueue` (use `scheduleUnchecked`-style casts for run-time types). */
  job: DistributiveOmit<EnqueueRequest, PerRun> | Omit<UncheckedEnqueueRequest, PerRun>;
  /** ISO date-times bounding when ticks fire. */
  startAt?: string;
  endAt?: string;
  /** Create it paused (no ticks until resumed). */
  paused?: boolean;
}

/** `PATCH /v1/schedules/:id`: any field; null clears `startAt`/`endAt`; `cron` replaces `everyMs` and back. */
export type ScheduleChange = Partial<Omit<ScheduleRequest, "startAt" | "endAt">> & {
  startAt?: string | null;
  endAt?: string | null;
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface ScheduleFilter {
  /** Services and operators: one org's schedules. */
  orgId?: string;
  /** Schedules per page (1–500). */
  limit?: number;
  cursor?: string;
}

export interface SchedulesApi {
  create(schedule: ScheduleRequest, extras?: { signal?: AbortSignal }): Promise<ScheduleView>;
  /** One page (follow `nextCursor` for more). */
  list(filter?: ScheduleFilter, extras?: { signal?: AbortSignal }): Promise<SchedulePage>;
  get(id: string, extras?: { signal?: AbortSignal }): Promise<ScheduleView>;
  update(id: string, change: ScheduleChange, extras?: { signal?: AbortSignal }): Promise<ScheduleView>;
  /** No more ticks until `resume`; ticks missed meanwhile do not run. */
  pause(id: string, extras?: { signal?: AbortSignal }): Promise<ScheduleView>;
  resume(id: string, extras?: { signal?: AbortSignal }): Promise<ScheduleView>;
  /** Deletes the schedule; its runs stay (ordinary jobs). */
  delete(id: string, extras?: { signal?: AbortSignal }): Promise<void>;
}

const path = (id: string) => `v1/schedules/${encodeURIComponent(id)}`;

/**
 * `/v1/schedules`. Creating is not retried after a network error (a schedule has no idempotency
 * key: a lost answer could mean two schedules); reads, changes and deletes are safe to resend.
 */
export function createSchedulesApi(transport: Transport): SchedulesApi {
  const { read, send } = callsOf(transport);
  const change = async (id: string, body: ScheduleChange, signal?: AbortSignal) =>
    ((await send("PATCH", path(id), { body, resend: true, signal })) as ScheduleAnswer).schedule;
  return {
    async create(schedule, extras = {}) {
      const answer = await send("POST", "v1/schedules", { body: schedule, resend: false, signal: extras.signal });
      return (answer as ScheduleAnswer).schedule;
    },
    async list(filter = {}, extras = {}) {
      return (await read("v1/schedules", { ...filter }, extras.signal)) as SchedulePage;
    },
    async get(id, extras = {}) {
      return ((await read(path(id), undefined, extras.signal)) as ScheduleAnswer).schedule;
    },
    update: (id, body, extras = {}) => change(id, body, extras.signal),
    pause: (id, extras = {}) => change(id, { paused: true }, extras.signal),
    resume: (id, extras = {}) => change(id, { paused: false }, extras.signal),
    async delete(id, extras = {}) {
      await send("DELETE", path(id), { resend: true, signal: extras.signal });
    },
  };
}

import type { SchedulePage, ScheduleView } from "./generated/types.ts";
import type { EnqueueRequest, UncheckedEnqueueRequest } from "./enqueue-request.ts";
import { resourceOf, type Extras, type ResourceCalls } from "./resource.ts";
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

interface ScheduleTypes {
  view: ScheduleView;
  created: ScheduleView;
  body: ScheduleRequest;
  change: ScheduleChange;
  filter: ScheduleFilter;
  page: SchedulePage;
}

/** `/v1/schedules`; `delete` leaves the schedule's runs (ordinary jobs). */
export interface SchedulesApi extends ResourceCalls<ScheduleTypes> {
  /** No more ticks until `resume`; ticks missed meanwhile do not run. */
  pause: (id: string, extras?: Extras) => Promise<ScheduleView>;
  resume: (id: string, extras?: Extras) => Promise<ScheduleView>;
}

/**
 * `/v1/schedules`. Creating is not retried after a network error (a schedule has no idempotency
 * key: a lost answer could mean two schedules); reads, changes and deletes are safe to resend.
 */
export function createSchedulesApi(transport: Transport): SchedulesApi {
  const { calls } = resourceOf<ScheduleTypes>(transport, {
    base: "v1/schedules",
    key: "schedule",
    resendChanges: true,
  });
  return {
    ...calls,
    pause: (id, extras) => calls.update(id, { paused: true }, extras),
    resume: (id, extras) => calls.update(id, { paused: false }, extras),
  };
}

import type { Timeseries } from "./generated/types.ts";
import { callsOf } from "./calls.ts";
import type { Transport } from "./transport.ts";

/** `GET /v1/stats/timeseries`: defaults to the last day by hour. */
export interface TimeseriesQuery {
  /** ISO date-times: the range [from, to). */
  from?: string;
  to?: string;
  bucket?: "1m" | "5m" | "1h" | "1d";
  type?: string;
  subtype?: string;
  /** Services and operators: one org (default every org). */
  orgId?: string;
}

/** Monitoring reads (org admins, services, operators; members are refused). */
export interface StatsApi {
  /** Jobs created, completed, failed and cancelled per bucket, with run-time p50/p95. */
  timeseries(query?: TimeseriesQuery, extras?: { signal?: AbortSignal }): Promise<Timeseries>;
}

export function statsApi(transport: Transport): StatsApi {
  const { read } = callsOf(transport);
  return {
    async timeseries(query = {}, extras = {}) {
      return (await read("v1/stats/timeseries", { ...query }, extras.signal)) as Timeseries;
    },
  };
}

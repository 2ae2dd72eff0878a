import type { EventEmitter } from "node:events";
import type { IncomingHttpHeaders } from "node:http";
import type { Telemetry } from "bullmq";

/** W3C trace context as headers (`traceparent`, maybe `tracestate`): what a job and its events carry. */
export type TraceCarrier = Readonly<Record<string, string>>;

export type TraceAttributes = Readonly<Record<string, string | number | boolean>>;

/** A request's span, ended when the response is done. */
export interface RequestSpan {
  /** Runs `fn` (the rest of the request) in the span's context. */
  run<T>(fn: () => T): T;
  end(name: string, statusCode: number): void;
}

/**
 * What Jobstream traces, backed by the OpenTelemetry SDK (`otel-tracing.ts`). Call sites ask
 * `activeTracing()` and skip all of it when it is null, so tracing off costs one branch.
 */
export interface Tracing {
  /** BullMQ's `telemetry` option (bullmq-otel): spans of Queue.add and Worker, context carried in the job. */
  readonly bullmq: Telemetry;
  /** A server span for one HTTP request, continuing the caller's trace if its headers carry one. */
  request(method: string, headers: IncomingHttpHeaders, emitters: readonly EventEmitter[]): RequestSpan;
  /** Runs `fn` in a new span, a child of the active one. */
  inSpan<T>(name: string, attributes: TraceAttributes, fn: () => Promise<T>): Promise<T>;
  /** The active span's context, or undefined outside any span. */
  carrier(): TraceCarrier | undefined;
  /** Adds attributes to the active span (BullMQ's attempt span in a processor). */
  annotate(attributes: TraceAttributes): void;
  /**
   * Runs `fn` (one write for many jobs) in a span of its own linked to every job's context, and
   * ends it with a span in each job's trace, so each job's trace shows the write too.
   */
  batch<T>(name: string, jobs: readonly TraceCarrier[], attributes: TraceAttributes, fn: () => Promise<T>): Promise<T>;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: unset, nothing is loaded and `startTracing` returns null. */
  readonly endpoint: string | undefined;
  /** `OTEL_SERVICE_NAME`, or the process's default (`jobstream-api`, `jobstream-worker`). */
  readonly serviceName: string;
}

let active: Tracing | null = null;

/** The process's tracing, or null when it is off (the common case: callers branch on it). */
export function activeTracing(): Tracing | null {
  return active;
}

/**
 * Starts tracing when an endpoint is configured. The SDK is imported only then, so a process
 * without `OTEL_EXPORTER_OTLP_ENDPOINT` never loads it.
 */
export async function startTracing(options: TracingOptions): Promise<Tracing | null> {
  if (options.endpoint === undefined) return null;
  const { createOtelTracing } = await import("./otel-tracing");
  active = createOtelTracing({ endpoint: options.endpoint, serviceName: options.serviceName });
  return active;
}

/** The OTLP/HTTP traces URL for a base endpoint, as the OpenTelemetry exporter spec builds it. */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, "")}/v1/traces`;
}

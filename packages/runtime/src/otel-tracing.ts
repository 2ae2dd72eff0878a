import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { BullMQOtel } from "bullmq-otel";
import { tracesUrl, type TraceAttributes, type TraceCarrier, type Tracing } from "./tracing";

/** OpenTelemetry's default cap on links per span; a batch of more jobs links the first ones. */
const MAX_LINKS = 128;

/**
 * The SDK set up by hand rather than through `@opentelemetry/sdk-node`: that one loads exporters
 * for every signal and protocol (gRPC included) at start; Jobstream exports traces over OTLP/HTTP only.
 * Only `tracing.ts` imports this file, and only when an endpoint is set.
 */
export function createOtelTracing(options: { endpoint: string; serviceName: string }): Tracing {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: tracesUrl(options.endpoint) }) })],
  });
  trace.setGlobalTracerProvider(provider);
  const tracer = trace.getTracer("jobstream");

  const finish = (span: Span, error?: unknown) => {
    if (error !== undefined) {
      span.recordException(
        error instanceof Error ? error : { message: typeof error === "string" ? error : "non-Error thrown" },
      );
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  };
  const run = async <T>(span: Span, fn: () => Promise<T>): Promise<T> => {
    try {
      const result = await fn();
      finish(span);
      return result;
    } catch (error) {
      finish(span, error);
      throw error;
    }
  };
  const contextOf = (carrier: TraceCarrier): Context => propagation.extract(ROOT_CONTEXT, carrier);

  return {
    bullmq: new BullMQOtel({ tracerName: "bullmq" }),
    request(method, headers, emitters) {
      const parent = propagation.extract(ROOT_CONTEXT, headers, {
        get: (carrier, key) => carrier[key],
        keys: (carrier) => Object.keys(carrier),
      });
      const span = tracer.startSpan(
        method,
        { kind: SpanKind.SERVER, attributes: { "http.request.method": method } },
        parent,
      );
      const ctx = trace.setSpan(parent, span);
      // Body parsing and streams call back from the request's own events: bound, they stay in the span.
      for (const emitter of emitters) contextManager.bind(ctx, emitter);
      return {
        run: (fn) => context.with(ctx, fn),
        end: (name, statusCode) => {
          span.updateName(name);
          span.setAttribute("http.response.status_code", statusCode);
          if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
    inSpan: (name, attributes, fn) => tracer.startActiveSpan(name, { attributes }, (span) => run(span, fn)),
    carrier() {
      if (trace.getActiveSpan() === undefined) return undefined;
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      return carrier;
    },
    annotate(attributes: TraceAttributes) {
      trace.getActiveSpan()?.setAttributes(attributes);
    },
    batch(name, jobs, attributes, fn) {
      const parents = new Map<string, Context>();
      for (const carrier of jobs) {
        const key = carrier.traceparent;
        if (key !== undefined && !parents.has(key)) parents.set(key, contextOf(carrier));
      }
      const links: Link[] = [];
      for (const ctx of parents.values()) {
        const linked = trace.getSpanContext(ctx);
        if (linked !== undefined && links.length < MAX_LINKS) links.push({ context: linked });
      }
      const started = Date.now();
      const span = tracer.startSpan(
        name,
        { links, attributes: { ...attributes, "jobstream.jobs": parents.size } },
        ROOT_CONTEXT,
      );
      const inJobs = () => {
        // A span in each job's own trace, linked back to the batch: the trace of a job reaches its write.
        const back = [{ context: span.spanContext() }];
        for (const ctx of parents.values())
          tracer.startSpan(name, { startTime: started, links: back, attributes }, ctx).end();
      };
      return run(span, fn).finally(inJobs);
    },
    async shutdown() {
      await provider.shutdown();
      contextManager.disable();
    },
  };
}

// CONTRACT §7 "Traces": OpenTelemetry, loaded only when OTEL_EXPORTER_OTLP_ENDPOINT (or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set — app.ts imports this file lazily, so a server
// without it never loads a byte of OpenTelemetry. One trace per request: @fastify/otel's
// request span (continuing a caller's `traceparent`), a span per hook and handler, one per SQL
// statement on PostgreSQL (@opentelemetry/instrumentation-pg; PGlite runs in-process and has no
// instrumentation), and the webhook deliveries the request causes, through the trace context
// the event log stores with each event (src/trace-context.ts). Spans leave in batches as
// OTLP/HTTP JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { FastifyPluginCallback } from 'fastify';
import pg from 'pg';
import { PROJECT_ROOT } from '../paths.js';
import { installTraceHooks, type TraceHooks } from '../trace-context.js';

/** Health checks and scrapes would be most of the traces and tell nothing. */
const UNTRACED = /^\/(healthz|readyz|metrics)(\?|$)/;
const TRACER = 'promotions-enrollment-server';

export interface TracingOptions {
  /** The OTLP/HTTP traces URL (…/v1/traces). */
  url: string;
  serviceName: string;
}

/** package.json's version: the `service.version` of every span. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

export interface Tracing {
  /** @fastify/otel's plugin: register it before any hook or route, so it sees them all. */
  plugin: FastifyPluginCallback;
  /** Sends what is buffered, then stops tracing (the seam back to no-ops, pg unpatched). */
  shutdown(): Promise<void>;
}

/** The `traceparent` of a context's span, through the W3C propagator. */
function traceparentOf(ctx: Context): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent ?? null;
}

export function startTracing(options: TracingOptions): Tracing {
  const version = packageVersion();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      'service.version': version,
    }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: options.url }) })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);

  // pg is already loaded (this module imports it, as db/client.ts does), and under ESM no
  // require hook would see it again: the instrumentation is created disabled (no hook) and its
  // patches are applied to the one `pg` module object every pool and client share. Statements
  // outside any span (the dispatcher's and the sweeper's polls) are not traced.
  const pgInstrumentation = new PgInstrumentation({ enabled: false, requireParentSpan: true });
  pgInstrumentation.setTracerProvider(provider);
  const pgDefinitions = pgInstrumentation.getModuleDefinitions();
  const pgModule = pgDefinitions.find((d) => d.name === 'pg');
  const poolModule = pgDefinitions.find((d) => d.name === 'pg-pool');
  const basePool = Object.getPrototypeOf(pg.Pool) as object;
  pgModule?.patch?.(pg);
  poolModule?.patch?.(basePool);

  const fastifyOtel = new FastifyOtelInstrumentation({
    ignorePaths: ({ url }) => UNTRACED.test(url),
  });
  fastifyOtel.setTracerProvider(provider);

  const tracer = provider.getTracer(TRACER, version);
  const hooks: TraceHooks = {
    current: () => (trace.getSpan(context.active()) ? traceparentOf(context.active()) : null),
    async inSpan(name, parent, fn) {
      const parentContext = parent
        ? propagation.extract(ROOT_CONTEXT, { traceparent: parent })
        : context.active();
      const span = tracer.startSpan(name, { kind: SpanKind.CLIENT }, parentContext);
      const spanContext = trace.setSpan(parentContext, span);
      try {
        return await context.with(spanContext, () =>
          fn(traceparentOf(spanContext), {
            setAttribute: (key, value) => span.setAttribute(key, value),
            fail: (message) => span.setStatus({ code: SpanStatusCode.ERROR, message }),
          }),
        );
      } catch (err) {
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: err instanceof Error ? err.message : String(err),
        });
        throw err;
      } finally {
        span.end();
      }
    },
  };
  installTraceHooks(hooks);

  return {
    plugin: fastifyOtel.plugin(),
    async shutdown() {
      installTraceHooks(null);
      await provider.shutdown();
      pgModule?.unpatch?.(pg);
      poolModule?.unpatch?.(basePool);
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

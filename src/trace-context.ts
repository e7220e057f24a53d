// CONTRACT §7 "Traces": the seam between the code and OpenTelemetry. Off (the default), every
// call here is a no-op and nothing of OpenTelemetry is loaded; src/ops/tracing.ts installs the
// real hooks when OTEL_EXPORTER_OTLP_ENDPOINT is set. The event log stores the active trace
// context with each event (`events.trace_context`), so the webhook delivery it causes, on any
// instance and at any later time, continues the same trace and carries it on as `traceparent`.

/** What a span opened through the seam lets its caller say about it. */
export interface SpanHandle {
  setAttribute(key: string, value: string | number | boolean): void;
  /** Marks the span failed, with a short, secret-free message. */
  fail(message: string): void;
}

export interface TraceHooks {
  /** The active span's W3C `traceparent`, or null outside any span. */
  current(): string | null;
  /**
   * Runs `fn` in a new span, the child of `parent` (a `traceparent`) when given, else of the
   * active context; `fn` gets the new span's own `traceparent` to send on.
   */
  inSpan<T>(
    name: string,
    parent: string | null,
    fn: (traceparent: string | null, span: SpanHandle) => Promise<T>,
  ): Promise<T>;
}

const NO_SPAN: SpanHandle = { setAttribute() {}, fail() {} };

let hooks: TraceHooks | null = null;

/** Installed by the tracing plugin while it runs; null turns tracing off again. */
export function installTraceHooks(next: TraceHooks | null): void {
  hooks = next;
}

export const traceContext: TraceHooks = {
  current: () => (hooks ? hooks.current() : null),
  inSpan: (name, parent, fn) => (hooks ? hooks.inSpan(name, parent, fn) : fn(null, NO_SPAN)),
};

/**
 * The webhook dispatcher, running on every instance (server.ts starts it). Each tick claims
 * due deliveries in small batches (FOR UPDATE SKIP LOCKED + a lease, see deliveries.claim),
 * POSTs them signed, records each attempt and schedules the next: CONTRACT §8's retry schedule
 * with ±10% jitter, Retry-After on 429/503, `failed` after the last attempt, the endpoint
 * disabled on 410 or after 5 days of failures. Redirects are never followed. On stop it
 * claims nothing more, lets in-flight attempts finish for `graceMs`, then aborts and
 * releases the rest (due again at once, on any instance).
 */
import { performance } from 'node:perf_hooks';
import type { FastifyBaseLogger } from 'fastify';
import type { Agent } from 'undici';
import { type Clock, systemClock } from '../clock.js';
import { webhookUserAgent } from '../ops/version.js';
import { createPoller } from '../poller.js';
import { toRfc3339 } from '../rules/time.js';
import { type SpanHandle, traceContext } from '../trace-context.js';
import type { ClaimedDelivery, DeliveriesRepository, DeliveryStatus } from './deliveries-repository.js';
import { signedHeaders } from './signer.js';
import { checkWebhookUrl, guardedLookup, type Resolver, UnsafeUrlError } from './ssrf.js';

export const DISPATCH_BATCH_SIZE = 10;
/** Bounds one tick, so a backlog is worked off over several ticks. */
export const DISPATCH_MAX_BATCHES = 10;
export const DISABLE_AFTER_FAILING_MS = 5 * 24 * 3600 * 1000;
const MAX_RETRY_AFTER_SECONDS = 24 * 3600;
const PRUNE_EVERY_MS = 3600 * 1000;

export type AttemptOutcomeLabel = 'succeeded' | 'retrying' | 'failed';

export interface DispatcherOptions {
  deliveries: Pick<DeliveriesRepository, 'claim' | 'recordAttempt' | 'release' | 'prune'>;
  /** Scheduling time (next_attempt_at); tests inject a ManualClock. */
  clock: Clock;
  /** `webhook-timestamp`: receivers check it against their real clock, so it is real time. */
  signingClock?: Clock;
  timeoutMs: number;
  retryScheduleSeconds: number[];
  allowPrivate: boolean;
  pollIntervalMs: number;
  batchSize?: number;
  /** How long a claim holds before another instance may take it; longer than any attempt. */
  leaseMs?: number;
  /** How long stop() lets in-flight attempts run before aborting and releasing them. */
  graceMs?: number;
  resolve?: Resolver;
  random?: () => number;
  /** Called once per recorded attempt (metrics). */
  onAttempt?: (outcome: AttemptOutcomeLabel) => void;
  log?: FastifyBaseLogger;
}

export interface AttemptResult {
  deliveryId: string;
  eventId: string;
  outcome: AttemptOutcomeLabel;
  responseStatus: number | null;
  error: string | null;
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Math.min(Number(v.trim()), MAX_RETRY_AFTER_SECONDS);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, Math.ceil((at - now.getTime()) / 1000)), MAX_RETRY_AFTER_SECONDS);
}

/** The request body of CONTRACT §8, the event's stored data spliced in verbatim. */
export const deliveryBody = (d: Pick<ClaimedDelivery, 'type' | 'eventCreatedAt' | 'dataJson'>) =>
  `{"type":${JSON.stringify(d.type)},"timestamp":${JSON.stringify(toRfc3339(d.eventCreatedAt))},"data":${d.dataJson}}`;

/** A short, secret-free description of a failed request. */
function describeError(err: unknown, timeoutMs: number): string {
  if (err instanceof UnsafeUrlError) return `refused: ${err.message}`;
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  if (
    e?.name === 'TimeoutError' ||
    e?.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e?.code === 'UND_ERR_BODY_TIMEOUT'
  )
    return `timeout: no response within ${timeoutMs} ms`;
  const code = e?.code ?? e?.cause?.code;
  if (code === 'EWEBHOOKADDR') return 'refused: the host resolves to a private or reserved address';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code) return `connection failed (${code})`;
  return 'request failed';
}

export function createDispatcher(options: DispatcherOptions) {
  /** CONTRACT §8: names the server and its release (issue 28). */
  const userAgent = webhookUserAgent();
  const {
    deliveries,
    clock,
    timeoutMs,
    retryScheduleSeconds: schedule,
    allowPrivate,
    pollIntervalMs,
    log,
  } = options;
  const signingClock = options.signingClock ?? systemClock;
  const batchSize = options.batchSize ?? DISPATCH_BATCH_SIZE;
  // Longer than any attempt (timeout + the writes around it), so a live claim never lapses.
  const leaseMs = options.leaseMs ?? 2 * timeoutMs + 5000;
  const graceMs = options.graceMs ?? Math.min(timeoutMs, 5000);
  const random = options.random ?? Math.random;
  // With the guard on, every connection resolves through guardedLookup: only checked addresses.
  // undici is loaded with the first delivery: a server without endpoints never holds it
  // (docs/PERFORMANCE.md, "Memory").
  let http: Promise<{ agent: Agent; request: typeof import('undici').request }> | null = null;
  const client = () => {
    http ??= import('undici').then(({ Agent, request }) => ({
      agent: new Agent({
        connect: allowPrivate ? {} : { lookup: guardedLookup(options.resolve) },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      }),
      request,
    }));
    return http;
  };

  let stopping = false;
  let lastPrune = 0;
  const shutdown = new AbortController();
  const inFlight = new Set<ClaimedDelivery>();

  function nextDelaySeconds(attemptNumber: number, retryAfter: number | null): number | null {
    if (attemptNumber > schedule.length) return null;
    if (retryAfter !== null) return retryAfter;
    const base = schedule[attemptNumber - 1]!;
    return base * (0.9 + 0.2 * random());
  }

  async function post(d: ClaimedDelivery, now: Date, traceparent: string | null) {
    await checkWebhookUrl(d.url, { allowPrivate, resolve: options.resolve });
    const body = deliveryBody(d);
    const secrets = [d.secret];
    if (d.previousSecret && d.previousSecretExpiresAt && d.previousSecretExpiresAt > now) {
      secrets.push(d.previousSecret);
    }
    const headers = signedHeaders({
      id: d.eventId,
      timestamp: Math.floor(signingClock.now().getTime() / 1000),
      body,
      secrets,
    });
    const { agent, request } = await client();
    const res = await request(d.url, {
      method: 'POST',
      // CONTRACT §7: with tracing on, the receiver can continue the trace of the change.
      headers: { ...headers, 'user-agent': userAgent, ...(traceparent ? { traceparent } : {}) },
      body,
      dispatcher: agent,
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), shutdown.signal]),
    });
    // The body is not needed; drain at most a little so the connection can be reused.
    await res.body.dump({ limit: 64 * 1024 }).catch(() => {});
    return { status: res.statusCode, retryAfter: res.headers['retry-after'] };
  }

  async function attempt(
    d: ClaimedDelivery,
    traceparent: string | null,
    span: SpanHandle,
  ): Promise<AttemptResult | null> {
    const at = clock.now();
    const started = performance.now();
    let responseStatus: number | null = null;
    let error: string | null = null;
    let retryAfter: number | null = null;
    span.setAttribute('webhook.event_id', d.eventId);
    span.setAttribute('webhook.event_type', d.type);
    span.setAttribute('webhook.endpoint_id', d.endpointId);
    span.setAttribute('webhook.attempt', d.attempts + 1);
    try {
      const res = await post(d, at, traceparent);
      responseStatus = res.status;
      if (res.status === 429 || res.status === 503) retryAfter = parseRetryAfter(res.retryAfter, at);
    } catch (err) {
      if (shutdown.signal.aborted) return null; // released by stop(), not a failed attempt
      error = describeError(err, timeoutMs);
    }
    const durationMs = Math.round(performance.now() - started);
    const succeeded = responseStatus !== null && responseStatus >= 200 && responseStatus < 300;
    if (responseStatus !== null) span.setAttribute('http.response.status_code', responseStatus);
    if (!succeeded) span.fail(error ?? `answered ${responseStatus}`);
    const gone = responseStatus === 410;
    const attemptNumber = d.attempts + 1;
    let status: DeliveryStatus;
    let next = at;
    if (succeeded) status = 'succeeded';
    else {
      const delay = gone ? null : nextDelaySeconds(attemptNumber, retryAfter);
      if (delay === null) status = 'failed';
      else {
        status = 'pending';
        next = new Date(at.getTime() + Math.round(delay * 1000));
      }
    }
    const settled = await deliveries.recordAttempt({
      deliveryId: d.id,
      endpointId: d.endpointId,
      claimedUntil: d.claimedUntil,
      at,
      responseStatus,
      error,
      durationMs,
      status,
      nextAttemptAt: next,
      succeeded,
      gone,
      disableIfFailingSince: new Date(at.getTime() - DISABLE_AFTER_FAILING_MS),
    });
    const outcome: AttemptOutcomeLabel =
      status === 'succeeded' ? 'succeeded' : status === 'pending' ? 'retrying' : 'failed';
    if (settled === null) {
      log?.warn(
        { delivery_id: d.id, event_id: d.eventId },
        'webhook attempt not recorded: its claim lapsed or the delivery was cancelled',
      );
      return null;
    }
    options.onAttempt?.(outcome);
    // One line per attempt: ids, type, result; never the URL, secret or payload.
    log?.info(
      {
        delivery_id: d.id,
        event_id: d.eventId,
        event_type: d.type,
        endpoint_id: d.endpointId,
        attempt: attemptNumber,
        response_status: responseStatus,
        error,
        duration_ms: durationMs,
        outcome,
        ...(status === 'pending' ? { next_attempt_at: toRfc3339(next) } : {}),
        ...(settled.endpointDisabled ? { endpoint_disabled: gone ? 'gone' : 'failing' } : {}),
      },
      'webhook attempt',
    );
    return { deliveryId: d.id, eventId: d.eventId, outcome, responseStatus, error };
  }

  async function deliver(d: ClaimedDelivery): Promise<AttemptResult | null> {
    inFlight.add(d);
    try {
      // One span per attempt, continuing the trace of the change that wrote the event (CONTRACT §7).
      return await traceContext.inSpan('webhook delivery', d.traceContext, (traceparent, span) =>
        attempt(d, traceparent, span),
      );
    } finally {
      inFlight.delete(d);
    }
  }

  /** Claims and sends what is due at `clock.now()`, batch after batch; tests call it directly. */
  async function runOnce(): Promise<AttemptResult[]> {
    const results: AttemptResult[] = [];
    for (let i = 0; i < DISPATCH_MAX_BATCHES && !stopping; i++) {
      const now = clock.now();
      const claimed = await deliveries.claim(now, batchSize, new Date(now.getTime() + leaseMs));
      const settled = await Promise.all(claimed.map(deliver));
      for (const r of settled) if (r) results.push(r);
      if (claimed.length < batchSize) break;
    }
    const now = clock.now();
    if (!stopping && now.getTime() - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = now.getTime();
      const pruned = await deliveries.prune(now);
      if (pruned) log?.info({ pruned }, 'webhook events past retention deleted');
    }
    return results;
  }

  function dispatchDue(): Promise<AttemptResult[]> {
    return dispatcher.runOnce();
  }
  function logDispatchFailure(err: unknown): void {
    log?.warn({ err }, 'webhook dispatch failed; retrying at the next tick');
  }
  const poller = createPoller({ intervalMs: pollIntervalMs, run: dispatchDue, onError: logDispatchFailure });

  /** Polls every `pollIntervalMs` until stop(); the timer never keeps the process alive. */
  function start(): void {
    if (stopping) return;
    poller.start();
  }

  /** Stops claiming; in-flight attempts get `graceMs`, then are aborted and released. */
  async function stop(): Promise<void> {
    stopping = true;
    const running = poller.stop();
    if (running) {
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise((r) => {
        graceTimer = setTimeout(r, graceMs);
      });
      await Promise.race([running, grace]);
      clearTimeout(graceTimer);
      if (inFlight.size > 0) {
        const pending = [...inFlight];
        shutdown.abort();
        await running;
        await deliveries.release(pending, clock.now()).catch(() => {});
      }
    }
    if (http) await (await http).agent.close().catch(() => {});
  }

  const dispatcher = { runOnce, start, stop };
  return dispatcher;
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

import { PromotionsConnectionError, parseRetryAfter } from './errors.js';

export interface RetryOptions {
  /** Retries after the first attempt. Default 3; 0 disables retrying. */
  retries?: number;
  /** First backoff step in ms (doubled each retry, with full jitter). Default 250. */
  baseDelayMs?: number;
  /** Cap of one wait, in ms, including a server's Retry-After. Default 30 000. */
  maxDelayMs?: number;
  /** How to wait; replaceable in tests. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

export type FetchLike = (input: Request) => Promise<Response>;

const DEFAULT_RETRIES = 3;
const DEFAULT_BASE_DELAY_MS = 250;
const DEFAULT_MAX_DELAY_MS = 30_000;
/** 429: the rate limit; 503: overloaded or the database unreachable. Neither changed anything. */
const RETRYABLE_STATUSES = new Set([429, 503]);
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Requests that are safe to send again though their method is not idempotent (markRepeatable). */
const REPEATABLE = new WeakSet<Request>();

/**
 * Marks a request as safe to repeat after a network error, for a POST the server deduplicates
 * itself: `POST /admin/v1/usage_events` (each event's id; CONTRACT §12).
 */
export function markRepeatable(request: Request): Request {
  REPEATABLE.add(request);
  return request;
}

const defaultSleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wraps fetch with retries: on 429/503 it waits what Retry-After says (else exponential
 * backoff with full jitter), capped; on a network error it retries only requests that are
 * safe to repeat: idempotent methods, a POST that carries an Idempotency-Key, or one marked
 * with markRepeatable.
 */
export function withRetries(fetchImpl: FetchLike, options: RetryOptions = {}): FetchLike {
  const retries = options.retries ?? DEFAULT_RETRIES;
  const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const cap = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const sleep = options.sleep ?? defaultSleep;
  const backoff = (attempt: number) => Math.random() * Math.min(cap, base * 2 ** attempt);

  return async (request) => {
    const repeatable =
      IDEMPOTENT_METHODS.has(request.method) ||
      request.headers.has('idempotency-key') ||
      REPEATABLE.has(request);
    for (let attempt = 0; ; attempt++) {
      // The body of a Request can be read once: every attempt sends a fresh copy.
      const copy = request.clone();
      let response: Response;
      try {
        response = await fetchImpl(copy);
      } catch (error) {
        if (request.signal?.aborted) throw error;
        if (!repeatable || attempt >= retries) throw new PromotionsConnectionError(request.url, error);
        await sleep(backoff(attempt));
        continue;
      }
      if (!RETRYABLE_STATUSES.has(response.status) || attempt >= retries) return response;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      const wait = retryAfter === undefined ? backoff(attempt) : retryAfter * 1000;
      // Asked to wait longer than we are willing to: hand the answer (and its Retry-After) back.
      if (wait > cap) return response;
      await response.body?.cancel();
      await sleep(wait);
    }
  };
}

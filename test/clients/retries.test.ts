import { afterEach, describe, expect, it } from 'vitest';
import {
  createAdminClient,
  createPromotionsClient,
  PromotionsApiError,
  PromotionsConnectionError,
} from '../../clients/typescript/src/index.js';
import { envelope, type FakeServer, fakeServer } from './helpers.js';

const RATE_LIMITED = envelope(429, 'rate_limited', 'Too Many Requests', 'Rate limit exceeded.');
const UNAVAILABLE = envelope(503, 'service_unavailable', 'Service Unavailable', 'Retry later.');
const DETAIL = {
  enrollment_id: 'p:1',
  promotion_id: 'p',
  enrollment_date: '2026-04-28T10:00:00Z',
  expiration_date: null,
  task_limit_per_month: null,
  tasks_used_this_month: 0,
  status: 'enrolled',
};

describe('client retries', () => {
  let server: FakeServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('retries enroll on 503 and 429 honouring Retry-After, with the same Idempotency-Key', async () => {
    server = await fakeServer([
      { status: 503, headers: { 'retry-after': '0' }, body: UNAVAILABLE },
      { status: 429, headers: { 'retry-after': '1' }, body: RATE_LIMITED },
      { status: 201, headers: { location: '/v2/promotions/p:1' }, body: { enrollment_id: 'p:1' } },
    ]);
    const waits: number[] = [];
    const client = createPromotionsClient({
      baseUrl: server.url,
      accessToken: 'tok',
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await expect(client.enroll('p')).resolves.toEqual({ enrollment_id: 'p:1' });
    // Exactly what Retry-After said, not the backoff.
    expect(waits).toEqual([0, 1000]);
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST', 'POST']);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.requests.map((r) => JSON.parse(r.body))).toEqual([
      { promotion_id: 'p' },
      { promotion_id: 'p' },
      { promotion_id: 'p' },
    ]);
  });

  it('gives up after `retries` and throws the last answer with its Retry-After', async () => {
    server = await fakeServer([{ status: 429, headers: { 'retry-after': '0' }, body: RATE_LIMITED }]);
    const client = createPromotionsClient({ baseUrl: server.url, accessToken: 'tok', retries: 2 });
    const error = await client.getEnrollment('p:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromotionsApiError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 0 });
    expect(server.requests).toHaveLength(3);
  });

  it('does not wait longer than maxDelayMs: a long Retry-After comes back at once', async () => {
    server = await fakeServer([{ status: 503, headers: { 'retry-after': '3600' }, body: UNAVAILABLE }]);
    const client = createPromotionsClient({ baseUrl: server.url, accessToken: 'tok', maxDelayMs: 5_000 });
    const error = await client.getEnrollment('p:1').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable', retryAfter: 3600 });
    expect(server.requests).toHaveLength(1);
  });

  it('backs off exponentially with full jitter, capped, when there is no Retry-After', async () => {
    server = await fakeServer([{ status: 503, body: UNAVAILABLE }]);
    const waits: number[] = [];
    const client = createPromotionsClient({
      baseUrl: server.url,
      accessToken: 'tok',
      retries: 4,
      baseDelayMs: 100,
      maxDelayMs: 300,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await expect(client.getEnrollment('p:1')).rejects.toMatchObject({ status: 503, retryAfter: undefined });
    expect(server.requests).toHaveLength(5);
    const ceilings = [100, 200, 300, 300];
    expect(waits).toHaveLength(4);
    waits.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(ceilings[i]!);
    });
  });

  it('does not retry other errors', async () => {
    server = await fakeServer([
      { status: 500, body: envelope(500, 'internal_error', 'Internal Server Error', 'Oops.') },
    ]);
    const client = createPromotionsClient({ baseUrl: server.url, accessToken: 'tok' });
    await expect(client.getEnrollment('p:1')).rejects.toMatchObject({ status: 500, code: 'internal_error' });
    expect(server.requests).toHaveLength(1);
  });

  it('retries network errors for GET and for enroll (Idempotency-Key), reusing the key', async () => {
    server = await fakeServer([
      { status: 200, body: DETAIL },
      { status: 201, body: { enrollment_id: 'p:1' } },
    ]);
    const target = server.url;
    const failures = new Map<string, number>();
    const flaky = (request: Request) => {
      const seen = failures.get(request.method) ?? 0;
      failures.set(request.method, seen + 1);
      if (seen === 0) return Promise.reject(new TypeError('fetch failed'));
      return fetch(request);
    };
    const client = createPromotionsClient({
      baseUrl: target,
      accessToken: 'tok',
      fetch: flaky,
      baseDelayMs: 1,
    });
    await expect(client.getEnrollment('p:1')).resolves.toEqual(DETAIL);
    await expect(client.enroll('p', { idempotencyKey: 'k-1' })).resolves.toEqual({ enrollment_id: 'p:1' });
    expect(failures.get('GET')).toBe(2);
    expect(failures.get('POST')).toBe(2);
    expect(server.requests.map((r) => [r.method, r.headers['idempotency-key']])).toEqual([
      ['GET', undefined],
      ['POST', 'k-1'],
    ]);
  });

  it('never retries a POST without an Idempotency-Key after a network error', async () => {
    let calls = 0;
    const admin = createAdminClient({
      baseUrl: 'http://127.0.0.1:9',
      adminToken: 'adm',
      baseDelayMs: 1,
      fetch: () => {
        calls++;
        return Promise.reject(new TypeError('fetch failed'));
      },
    });
    const error = await admin.accounts
      .create({ email: 'a@example.com', password: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PromotionsConnectionError);
    expect(calls).toBe(1);
  });
});

import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ADMIN_TOKEN, bearer, useTestApp } from '../helpers/app.js';

// Property-based fuzzing of every endpoint: whatever arrives, the answer is a 4xx in the right
// error format (never a 5xx), nothing is written, and the server stays healthy.
const ctx = useTestApp({ env: { RATE_LIMIT_PER_HOUR: '100000000', RATE_LIMIT_IP_PER_HOUR: '100000000' } });
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

let userToken: string;
let appToken: string;
let promotionId: string;
let enrollmentId: string;
const fuzzed = { requests: 0 };

const NASTY_STRINGS = [
  "'; drop table enrollments; --",
  '" or 1=1 --',
  '<script>alert(1)</script>',
  '\u0000',
  'a\u0000b',
  '../../etc/passwd',
  '%00',
  '\ud800',
  '😀'.repeat(50),
  'x'.repeat(20_000),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell probe, literally
  '${jndi:ldap://x}',
  '{{7*7}}',
  'null',
  '-1',
  '1e309',
];

const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const nastyKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'promotion_id', 'toString'),
  fc.string({ maxLength: 12 }),
);
const nastyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nastyKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Deep nesting that naive recursive code would choke on. */
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

const rawBody = fc.oneof(
  nastyValue.map((v) => JSON.stringify(v) ?? 'null'),
  fc.dictionary(nastyKey, nastyValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
  nastyString,
  fc.constantFrom(
    deep(5000),
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"a":1,"a":2}',
    '',
    '{',
  ),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'garbage',
);

/** encodeURIComponent throws on lone surrogates; send their raw UTF-8 escape instead. */
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

const pathSegment = fc.oneof(
  nastyString.map((s) => encode(s).slice(0, 300)),
  fc.constantFrom('..', '%2e%2e', '%00', 'x:00000000-0000-4000-8000-000000000000', '::::', '%', '%zz'),
);

const queryString = fc
  .array(fc.tuple(nastyKey, nastyString), { maxLength: 4 })
  .map((pairs) => pairs.map(([k, v]) => `${encode(k)}=${encode(v.slice(0, 200))}`).join('&'));

interface Target {
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  path: (segment: string) => string;
  headers: () => Record<string, string>;
  format: 'envelope' | 'oauth';
  /** A list may rightly answer 200 to parameters it ignores. */
  mayList?: boolean;
}

const TARGETS: Record<string, Target> = {
  'POST /v2/promotions': {
    method: 'POST',
    path: () => '/v2/promotions',
    headers: () => bearer(userToken),
    format: 'envelope',
  },
  'GET /v2/promotions/{id}': {
    method: 'GET',
    path: (s) => `/v2/promotions/${s}`,
    headers: () => bearer(appToken),
    format: 'envelope',
  },
  'DELETE /v2/promotions/{id}': {
    method: 'DELETE',
    path: (s) => `/v2/promotions/${s}`,
    headers: () => bearer(appToken),
    format: 'envelope',
  },
  'POST /oauth/token': { method: 'POST', path: () => '/oauth/token', headers: () => ({}), format: 'oauth' },
  'POST /admin/v1/partners': {
    method: 'POST',
    path: () => '/admin/v1/partners',
    headers: () => bearer(ADMIN_TOKEN),
    format: 'envelope',
  },
  'POST /admin/v1/accounts': {
    method: 'POST',
    path: () => '/admin/v1/accounts',
    headers: () => bearer(ADMIN_TOKEN),
    format: 'envelope',
  },
  'POST /admin/v1/promotions': {
    method: 'POST',
    path: () => '/admin/v1/promotions',
    headers: () => bearer(ADMIN_TOKEN),
    format: 'envelope',
  },
  'GET /admin/v1/promotions': {
    method: 'GET',
    path: () => '/admin/v1/promotions',
    headers: () => bearer(ADMIN_TOKEN),
    format: 'envelope',
    mayList: true,
  },
  'GET /admin/v1/promotions/{id}': {
    method: 'GET',
    path: (s) => `/admin/v1/promotions/${s}`,
    headers: () => bearer(ADMIN_TOKEN),
    format: 'envelope',
    // An empty segment is the list itself (trailing slashes are ignored).
    mayList: true,
  },
  'GET /admin/v1/partners/{id}': {
    method: 'GET',
    path: (s) => `/admin/v1/partners/${s}`,
    headers: () => bearer(ADMIN_TOKEN),
    format: 'envelope',
    // An empty segment is the list itself (trailing slashes are ignored).
    mayList: true,
  },
  'POST /admin/v1/tokens': {
    method: 'POST',
    path: () => '/admin/v1/tokens',
    headers: () => bearer(ADMIN_TOKEN),
    format: 'envelope',
  },
};

async function rowCounts() {
  const [row] = await queryRows<Record<string, number>>(
    ctx.app.db,
    sql`select (select count(*)::int from partners) as partners, (select count(*)::int from accounts) as accounts,
               (select count(*)::int from promotions) as promotions, (select count(*)::int from enrollments) as enrollments,
               (select count(*)::int from access_tokens) as tokens,
               (select count(*)::int from enrollments where unenrolled_at is not null) as unenrolled`,
  );
  return row;
}

const LEAKS = /at [\w.<>]+ \(|\.ts:\d+|select |insert into|postgres(ql)?:\/\/|scrypt\$|stack/i;

function assertWellFormed(
  target: Target,
  res: { statusCode: number; headers: Record<string, unknown>; body: string },
) {
  if (target.mayList && res.statusCode === 200) {
    expect(Array.isArray(JSON.parse(res.body).data)).toBe(true);
    return;
  }
  expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(res.headers['x-powered-by']).toBeUndefined();
  expect(res.body).not.toMatch(LEAKS);
  const body = JSON.parse(res.body);
  if (target.format === 'oauth' && 'error' in body) {
    expect(typeof body.error).toBe('string');
    return;
  }
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0].status).toBe(String(res.statusCode));
  expect(typeof body.errors[0].code).toBe('string');
  expect(typeof body.errors[0].detail).toBe('string');
}

beforeAll(async () => {
  const partner = await ctx.fixtures.partner();
  const account = await ctx.fixtures.account();
  userToken = await ctx.fixtures.userToken(partner.id, account.id);
  appToken = await ctx.fixtures.appToken(partner.id);
  promotionId = await ctx.fixtures.promotion(partner.id);
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v2/promotions',
    headers: bearer(userToken),
    payload: { promotion_id: promotionId },
  });
  enrollmentId = res.json().enrollment_id;
});

describe('hostile input', () => {
  it.each(Object.keys(TARGETS))(
    '%s: bodies, content types, path segments and query strings never give a 5xx and write nothing',
    async (name) => {
      const target = TARGETS[name]!;
      const before = await rowCounts();
      await fc.assert(
        fc.asyncProperty(
          rawBody,
          contentType,
          pathSegment,
          queryString,
          async (body, type, segment, query) => {
            fuzzed.requests++;
            const res = await ctx.app.inject({
              method: target.method,
              url: `${target.path(segment)}${query ? `?${query}` : ''}`,
              headers: { ...target.headers(), 'content-type': type },
              payload: target.method === 'GET' ? undefined : body,
            });
            assertWellFormed(target, res);
          },
        ),
        { numRuns: RUNS },
      );
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('refuses hostile headers: duplicate, oversized and control-character Authorization values', async () => {
    const cases: Array<Record<string, string | string[]>> = [
      { authorization: ['Bearer a', 'Bearer b'] },
      { authorization: `Bearer ${'a'.repeat(8000)}` },
      { authorization: 'Bearer \u0001\u0002' },
      { authorization: 'bearer' },
      { authorization: `Bearer ${userToken.slice(0, 20)}` },
      { authorization: `Bearer ${userToken}x` },
      { authorization: `Bearer ${userToken.toUpperCase()}` },
      { 'content-length': '999999' },
    ];
    for (const headers of cases) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: `/v2/promotions/${enrollmentId}`,
        headers: headers as Record<string, string>,
      });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
  });

  it('is healthy afterwards: the same token still reads its enrollment', async () => {
    expect(fuzzed.requests).toBeGreaterThan(0);
    process.stdout.write(`hostile input: ${fuzzed.requests} generated requests, 0 × 5xx, nothing written\n`);
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/v2/promotions/${enrollmentId}`,
      headers: bearer(userToken),
    });
    expect(res.statusCode).toBe(200);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});

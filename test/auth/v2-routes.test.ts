// The partner API's route suite: every /v2 operation of openapi/promotions.yaml (read from the
// file, as test/admin/roles.test.ts reads admin.yaml) without a token, with another audience's
// token, with the wrong kind of token and without its scope (CONTRACT §4.2, the table there),
// with another partner's id (404, the same answer as an id that exists nowhere), and
// X-RateLimit-* on every answer (CONTRACT §4.4). An operation added to the contract fails the
// first test until EXERCISES below says how to call it.
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../src/auth/scopes.js';
import type { TokenKind } from '../../src/auth/token-service.js';
import { operatorWithKey } from '../admin/operator-helpers.js';
import { ADMIN_TOKEN, bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { loadContract } from '../helpers/contract.js';

const ctx = useTestApp();

/** How to call one operation: the token kinds it takes and a body its validation accepts. */
interface Exercise {
  kinds: readonly TokenKind[];
  body?: Record<string, unknown>;
  /** Operations without an id in the path: the status the right token gets (here, for partner B). */
  passes?: number;
}

const NEW_ENDPOINT = { url: 'http://127.0.0.1:9/hook', event_types: ['enrollment.created'] };

/** Every /v2 operation of openapi/promotions.yaml, by operationId (CONTRACT §4.2, §8, §9). */
const EXERCISES: Record<string, Exercise> = {
  root_create: { kinds: ['user'], body: { promotion_id: 'no_such_promotion' }, passes: 404 },
  root_retrieve: { kinds: ['app', 'user'] },
  root_destroy: { kinds: ['app', 'user'] },
  webhook_endpoints_create: { kinds: ['app'], body: NEW_ENDPOINT, passes: 201 },
  webhook_endpoints_list: { kinds: ['app'], passes: 200 },
  webhook_endpoints_retrieve: { kinds: ['app'] },
  webhook_endpoints_update: { kinds: ['app'], body: { description: 'changed by another partner' } },
  webhook_endpoints_destroy: { kinds: ['app'] },
  webhook_endpoints_rotate_secret: { kinds: ['app'] },
  webhook_endpoints_deliveries: { kinds: ['app'] },
  events_list: { kinds: ['app'], passes: 200 },
  events_redeliver: { kinds: ['app'] },
  test_clocks_create: { kinds: ['app'], body: { frozen_time: '2026-01-31T10:00:00Z' }, passes: 201 },
  test_clocks_list: { kinds: ['app'], passes: 200 },
  test_clocks_retrieve: { kinds: ['app'] },
  test_clocks_destroy: { kinds: ['app'] },
  test_clocks_advance: { kinds: ['app'], body: { frozen_time: '2026-02-28T10:00:00Z' } },
  test_clocks_accounts_create: { kinds: ['app'], body: {} },
  test_helpers_usage_create: { kinds: ['app'], body: { tasks: 1 } },
};

/** The 404 an id of each path parameter answers when the caller's partner has no such thing. */
const NOT_FOUND: Record<string, [code: string, title: string, detail: string]> = {
  enrollment_id: ['enrollment_not_found', 'Enrollment Not Found', 'The requested enrollment was not found.'],
  endpoint_id: [
    'webhook_endpoint_not_found',
    'Webhook Endpoint Not Found',
    'The requested webhook endpoint was not found.',
  ],
  event_id: ['event_not_found', 'Event Not Found', 'The requested event was not found.'],
  test_clock_id: ['test_clock_not_found', 'Test Clock Not Found', 'The requested test clock was not found.'],
};

interface Operation {
  operationId: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** The OAuth scopes its `security` declares (one each). */
  scopes: string[];
  scope: Scope;
  /** The path's parameters, e.g. ['test_clock_id']. */
  params: string[];
  exercise: Exercise | undefined;
}

function v2Operations(): Operation[] {
  const doc = loadContract().documents['promotions.yaml'] as {
    paths: Record<string, Record<string, { operationId: string; security?: Array<{ OAuth?: string[] }> }>>;
  };
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      if (!op) continue;
      const scopes = (op.security ?? []).flatMap((s) => s.OAuth ?? []);
      out.push({
        operationId: op.operationId,
        method: method.toUpperCase() as Operation['method'],
        path,
        scopes,
        scope: scopes[0] as Scope,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        exercise: EXERCISES[op.operationId],
      });
    }
  }
  return out;
}

const OPERATIONS = v2Operations();
const where = (op: Operation, extra = '') => `${op.method} ${op.path}${extra}`;

/** One call; every answer under /v2 carries the rate-limit headers, whatever its status. */
async function call(op: Operation, ids: Record<string, string>, headers: Record<string, string>) {
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name]!));
  const body = op.exercise?.body;
  const res = await ctx.app.inject({
    method: op.method,
    url,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  expectRateLimitHeaders(res, `${op.method} ${url} → ${res.statusCode}`);
  return res;
}

let lastRemaining = Number.POSITIVE_INFINITY;

/**
 * Every call here spends the one client IP's budget (partners spend less: only calls that pass
 * authentication count for them), so the IP's counter is the tighter one and goes down each time.
 */
function expectRateLimitHeaders(res: LightMyRequestResponse, at: string) {
  expect(res.headers['x-ratelimit-limit'], at).toBe(String(ctx.config.rateLimitIpPerHour));
  const remaining = Number(res.headers['x-ratelimit-remaining']);
  expect(Number.isInteger(remaining) && remaining >= 0 && remaining < lastRemaining, at).toBe(true);
  lastRemaining = remaining;
  const reset = Number(res.headers['x-ratelimit-reset']);
  expect(Number.isInteger(reset) && reset * 1000 > ctx.clock.now().getTime(), at).toBe(true);
}

const envelope = (status: number, code: string, title: string, detail: string) => ({
  errors: [{ status: String(status), code, title, detail }],
});

const NOT_AUTHENTICATED = envelope(
  401,
  'not_authenticated',
  'User Not Authenticated',
  'User must be authenticated to access this resource. No valid user access token was provided.',
);

/** Partner A owns one of everything a /v2 path can name; partner B calls with A's ids. */
interface World {
  b: PartnerFixture;
  ids: Record<string, string>;
  /** Ids of the right shape that name nothing. */
  missing: Record<string, string>;
  /** B's tokens with every scope, by kind. */
  tokens: Record<TokenKind, string>;
  aTokens: Record<TokenKind, string>;
}

let world: World;

beforeAll(async () => {
  // Sandbox partners both, so the test helpers' own guard (live partners: 403) is not what answers.
  const a = await ctx.fixtures.partner({ sandbox: true });
  const b = await ctx.fixtures.partner({ sandbox: true });
  const tokensOf = async (partner: PartnerFixture) => {
    const account = await ctx.fixtures.account();
    return {
      app: await ctx.fixtures.appToken(partner.id),
      user: await ctx.fixtures.userToken(partner.id, account.id),
    };
  };
  const aTokens = await tokensOf(a);
  const asA = (method: 'GET' | 'POST', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: bearer(aTokens.app), payload });

  const promotionId = await ctx.fixtures.promotion(a.id);
  const clock = await asA('POST', '/v2/test_helpers/test_clocks', { frozen_time: '2026-01-31T10:00:00Z' });
  expect(clock.statusCode).toBe(201);
  const clockAccount = await asA('POST', `/v2/test_helpers/test_clocks/${clock.json().id}/accounts`, {});
  expect(clockAccount.statusCode).toBe(201);
  const endpoint = await ctx.fixtures.webhookEndpoint(a.id, NEW_ENDPOINT);
  const enrolled = await ctx.app.inject({
    method: 'POST',
    url: '/v2/promotions',
    headers: bearer(clockAccount.json().access_token),
    payload: { promotion_id: promotionId },
  });
  expect(enrolled.statusCode).toBe(201);
  const events = await asA('GET', '/v2/events');
  expect(events.statusCode).toBe(200);
  const enrollmentId = enrolled.json().enrollment_id as string;
  world = {
    b,
    ids: {
      enrollment_id: enrollmentId,
      endpoint_id: endpoint.id,
      event_id: events.json().data[0].id,
      test_clock_id: clock.json().id,
    },
    missing: {
      enrollment_id: `${promotionId}:00000000-0000-4000-8000-000000000000`,
      endpoint_id: 'we_0000000000000000000000',
      event_id: 'evt_000000000000000000000000',
      test_clock_id: 'clock_0000000000000000000000',
    },
    tokens: await tokensOf(b),
    aTokens,
  };
});

describe('every /v2 operation of openapi/promotions.yaml', () => {
  it('is exercised here, and declares one OAuth scope', () => {
    expect(OPERATIONS.length).toBeGreaterThan(15);
    expect(OPERATIONS.filter((op) => !op.exercise).map((op) => op.operationId)).toEqual([]);
    expect(Object.keys(EXERCISES).sort()).toEqual(OPERATIONS.map((op) => op.operationId).sort());
    for (const op of OPERATIONS) {
      expect(op.path, op.operationId).toMatch(/^\/v2\//);
      expect(op.scopes, where(op)).toHaveLength(1);
      expect(SCOPES, where(op)).toContain(op.scope);
      expect(op.exercise!.passes === undefined, where(op)).toBe(op.params.length > 0);
      for (const param of op.params) expect(Object.keys(NOT_FOUND), where(op)).toContain(param);
    }
  });

  it('answers 401 not_authenticated with a bare challenge to a call without a token', async () => {
    for (const op of OPERATIONS) {
      const res = await call(op, world.ids, {});
      expect(res.statusCode, where(op)).toBe(401);
      expect(res.headers['www-authenticate'], where(op)).toBe('Bearer realm="promotions"');
      expect(res.json(), where(op)).toEqual(NOT_AUTHENTICATED);
    }
  });

  it("answers 401 to another audience's token (BFLA): the admin token, an operator's API key", async () => {
    const { key } = await operatorWithKey(ctx, 'owner');
    for (const op of OPERATIONS) {
      for (const token of [ADMIN_TOKEN, key]) {
        const res = await call(op, world.ids, bearer(token));
        expect(res.statusCode, where(op)).toBe(401);
        expect(res.headers['www-authenticate'], where(op)).toBe(
          'Bearer realm="promotions", error="invalid_token", error_description="The access token is malformed."',
        );
        expect(res.json(), where(op)).toEqual(NOT_AUTHENTICATED);
      }
    }
  });

  it('answers 403 permission_denied to the wrong kind of token', async () => {
    const DETAIL = {
      user: 'This action needs a user access token; an app token was provided.',
      app: 'This action needs an app access token (client credentials); a user token was provided.',
    } as const;
    const eitherKind: string[] = [];
    for (const op of OPERATIONS) {
      const kinds = op.exercise!.kinds;
      if (kinds.length === 2) {
        eitherKind.push(op.operationId);
        continue;
      }
      const needs = kinds[0]!;
      const res = await call(op, world.ids, bearer(world.tokens[needs === 'app' ? 'user' : 'app']));
      expect(res.statusCode, where(op)).toBe(403);
      expect(res.headers['www-authenticate'], where(op)).toBeUndefined();
      expect(res.json(), where(op)).toEqual(
        envelope(403, 'permission_denied', 'Permission Denied', DETAIL[needs]),
      );
    }
    // Zapier's pages disagree on which token reads and deletes an enrollment, so both work (CONTRACT §4.5).
    expect(eitherKind.sort()).toEqual(['root_destroy', 'root_retrieve']);
  });

  it('answers 403 permission_denied, naming the scope, to a token without the scope the operation declares', async () => {
    const b = world.b;
    for (const op of OPERATIONS) {
      const others = SCOPES.filter((s) => s !== op.scope);
      for (const kind of op.exercise!.kinds) {
        const account = await ctx.fixtures.account();
        const token =
          kind === 'app'
            ? await ctx.fixtures.appToken(b.id, others)
            : await ctx.fixtures.userToken(b.id, account.id, others);
        const res = await call(op, world.ids, bearer(token));
        const at = where(op, ` with a ${kind} token of ${others.join(' ')}`);
        expect(res.statusCode, at).toBe(403);
        expect(res.headers['www-authenticate'], at).toBe(
          `Bearer realm="promotions", error="insufficient_scope", scope="${op.scope}"`,
        );
        expect(res.json(), at).toEqual(
          envelope(
            403,
            'permission_denied',
            'Permission Denied',
            `You do not have permission to perform this action. It requires the ${op.scope} scope.`,
          ),
        );
      }
    }
  });

  it("answers 404 to another partner's id (BOLA), exactly as to an id that exists nowhere", async () => {
    const withIds = OPERATIONS.filter((op) => op.params.length > 0);
    expect(withIds.length).toBeGreaterThan(10);
    for (const op of withIds) {
      const [code, title, detail] = NOT_FOUND[op.params.at(-1)!]!;
      for (const kind of op.exercise!.kinds) {
        const headers = bearer(world.tokens[kind]);
        const others = await call(op, world.ids, headers);
        const at = where(op, ` as partner B's ${kind} token`);
        expect(others.statusCode, at).toBe(404);
        expect(others.json(), at).toEqual(envelope(404, code, title, detail));
        const nowhere = await call(op, world.missing, headers);
        expect(nowhere.statusCode, at).toBe(404);
        expect(nowhere.json(), at).toEqual(others.json());
      }
    }
  });

  it('lets the right token through on the operations without an id (to their own answer)', async () => {
    for (const op of OPERATIONS.filter((op) => op.params.length === 0)) {
      for (const kind of op.exercise!.kinds) {
        const res = await call(op, {}, bearer(world.tokens[kind]));
        expect(res.statusCode, where(op, ` ${res.body}`)).toBe(op.exercise!.passes);
      }
    }
  });

  it("leaves partner A's things as they were", async () => {
    const asA = (url: string) => ctx.app.inject({ method: 'GET', url, headers: bearer(world.aTokens.app) });
    const { ids } = world;
    const enrollment = await asA(`/v2/promotions/${ids.enrollment_id}`);
    expect(enrollment.statusCode).toBe(200);
    expect(enrollment.json()).toMatchObject({ enrollment_id: ids.enrollment_id, status: 'enrolled' });
    const endpoint = await asA(`/v2/webhook_endpoints/${ids.endpoint_id}`);
    expect(endpoint.statusCode).toBe(200);
    expect(endpoint.json()).toMatchObject({ id: ids.endpoint_id, description: null, status: 'enabled' });
    const clock = await asA(`/v2/test_helpers/test_clocks/${ids.test_clock_id}`);
    expect(clock.statusCode).toBe(200);
    expect(clock.json()).toMatchObject({ frozen_time: '2026-01-31T10:00:00Z', status: 'ready' });
  });
});

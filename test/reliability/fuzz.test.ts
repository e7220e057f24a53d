// Every route fuzzed from its contract (CONTRACT §4.1): each operation of the three OpenAPI files
// gets generated parameters, headers and bodies — values drawn from its schemas, and mutations of
// its documented examples (wrong types, missing and extra fields, huge and empty strings,
// unicode, numbers at and past the limits) — with valid credentials and without. Whatever
// arrives: no 5xx, every answer as documented (the helpers check each one against openapi/),
// every error in its family's shape, and a 4xx writes nothing (a row count per table, the event
// log included, before and after). Seeded: FUZZ_SEED replays a run, FUZZ_RUNS makes it longer.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { ERROR_CATALOGUE } from '../../src/errors.js';
import { bearer, useTestApp } from '../helpers/app.js';
import { assertNoViolations, CONTRACT_FILES } from '../helpers/contract.js';
import {
  fixtures,
  type Generated,
  type Json,
  type Operation,
  operations,
  requestOf,
} from './fuzz-requests.js';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
/** Generated requests per operation and credential kind. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
process.stdout.write(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${RUNS} runs per case\n`);

const ctx = useTestApp({
  env: { RATE_LIMIT_PER_HOUR: '100000000', RATE_LIMIT_IP_PER_HOUR: '100000000' },
});

/**
 * Tables a refused request may write to, each with the reason. Anything else changing on a 4xx
 * is a bug.
 */
const WRITTEN_ON_REFUSAL: Record<string, string> = {
  login_throttle: 'a failed consent sign-in is counted, so passwords cannot be guessed (CONTRACT §5)',
};

// ---------------------------------------------------------------- what must hold

let tables: string[] = [];

async function rowCounts(): Promise<Record<string, number>> {
  const selects = tables.map((t) => `(select count(*)::int from "${t}") as "${t}"`).join(', ');
  const [row] = await queryRows<Record<string, number>>(ctx.app.db, sql.raw(`select ${selects}`));
  return row ?? {};
}

const OAUTH_FORM = /^\/oauth\/(token|revoke|introspect)$/;

function assertErrorShape(op: Operation, status: number, contentType: string, body: string): void {
  if (!contentType.startsWith('application/json')) return;
  const data = JSON.parse(body) as Json;
  if (OAUTH_FORM.test(op.path) && 'error' in data) {
    // RFC 6749 §5.2: the OAuth endpoints' own errors.
    expect(typeof data.error).toBe('string');
    return;
  }
  const errors = data.errors as Json[];
  expect(Array.isArray(errors) && errors.length > 0, body).toBe(true);
  for (const error of errors) {
    expect(error.status).toBe(String(status));
    expect(Object.keys(ERROR_CATALOGUE)).toContain(error.code);
  }
}

const tally = { requests: 0, refused: 0, accepted: 0 };

async function check(op: Operation, request: Generated): Promise<void> {
  const before = await rowCounts();
  const res = await ctx.app.inject({
    method: op.method as 'GET',
    url: `${request.path}${request.query ? `?${request.query}` : ''}`,
    headers: {
      ...request.headers,
      ...(request.payload !== undefined
        ? {
            'content-type':
              op.body?.type === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
          }
        : {}),
    },
    payload: request.payload,
  });
  tally.requests++;
  const where = `${op.method} ${request.path}${request.query ? `?${request.query.slice(0, 200)}` : ''} → ${res.statusCode}: ${res.body.slice(0, 300)}`;
  expect(res.statusCode, where).toBeLessThan(500);
  assertNoViolations(ctx.violations.splice(0));
  if (res.statusCode >= 400) {
    tally.refused++;
    assertErrorShape(op, res.statusCode, String(res.headers['content-type'] ?? ''), res.body);
    const after = await rowCounts();
    const changed = tables.filter((t) => before[t] !== after[t] && !(t in WRITTEN_ON_REFUSAL));
    expect(
      changed,
      `${where}\nrows changed: ${changed.map((t) => `${t} ${before[t]}→${after[t]}`).join(', ')}`,
    ).toEqual([]);
  } else tally.accepted++;
}

// ---------------------------------------------------------------- the run

const OPERATIONS = operations();

beforeAll(async () => {
  tables = (
    await queryRows<{ name: string }>(
      ctx.app.db,
      sql`select tablename as name from pg_tables where schemaname = current_schema() and tablename not like '\_\_%' order by 1`,
    )
  ).map((r) => r.name);
  const partner = await ctx.fixtures.partner({ sandbox: true });
  fixtures.partner = partner;
  const account = await ctx.fixtures.account();
  const userToken = await ctx.fixtures.userToken(partner.id, account.id);
  const appToken = await ctx.fixtures.appToken(partner.id);
  Object.assign(fixtures, { userToken, appToken });
  const promotionId = await ctx.fixtures.promotion(partner.id);
  const enrolled = await ctx.app.inject({
    method: 'POST',
    url: '/v2/promotions',
    headers: { ...bearer(userToken), 'content-type': 'application/json' },
    payload: JSON.stringify({ promotion_id: promotionId }),
  });
  const clock = await ctx.app.inject({
    method: 'POST',
    url: '/v2/test_helpers/test_clocks',
    headers: { ...bearer(appToken), 'content-type': 'application/json' },
    payload: JSON.stringify({ frozen_time: '2026-05-01T00:00:00Z', name: 'fuzz' }),
  });
  const operator = await ctx.admin({
    method: 'POST',
    url: '/admin/v1/operators',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({
      email: 'fuzz-operator@example.com',
      password: 'a long enough password',
      role: 'viewer',
    }),
  });
  expect([enrolled.statusCode, clock.statusCode, operator.statusCode]).toEqual([201, 201, 201]);
  assertNoViolations(ctx.violations.splice(0));
  Object.assign(fixtures.known, {
    enrollment_id: [enrolled.json().enrollment_id],
    promotion_id: [promotionId],
    id: [promotionId],
    partner_id: [partner.id],
    account_id: [account.id],
    client_id: [partner.clientId],
    test_clock_id: [clock.json().id],
    operator_id: [operator.json().id],
  });
});

describe('every operation of openapi/, fuzzed', () => {
  it('walks every operation of the three files', () => {
    expect(OPERATIONS.length).toBeGreaterThan(60);
    expect(new Set(OPERATIONS.map((op) => op.file))).toEqual(new Set(CONTRACT_FILES));
  });

  describe.each([
    ['with valid credentials', true],
    ['without credentials', false],
  ] as const)('%s', (_label, authorized) => {
    it.each(OPERATIONS.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', async (_name, op) => {
      await fc.assert(
        fc.asyncProperty(requestOf(op, authorized), (request) => check(op, request)),
        { seed: SEED, numRuns: RUNS },
      );
    });
  });

  it('answered many of them: refused and accepted both', () => {
    process.stdout.write(
      `fuzz: ${tally.requests} requests (${tally.refused} refused, ${tally.accepted} accepted), 0 × 5xx, seed ${SEED}\n`,
    );
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.accepted).toBeGreaterThan(0);
  });
});

import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type BuildAppOptions, buildApp } from '../../src/app.js';
import type { Scope } from '../../src/auth/scopes.js';
import { hashSecret, randomId } from '../../src/auth/secrets.js';
import { ManualClock } from '../../src/clock.js';
import { type Config, loadConfig } from '../../src/config.js';
import { assertNoViolations, type ContractViolation, loadContract } from './contract.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const PASSWORD = 'correct horse battery staple';
const contract = loadContract();
let passwordHash: Promise<string> | undefined;

export interface TestContext {
  app: FastifyInstance;
  db: TestDatabase;
  clock: ManualClock;
  config: Config;
  violations: ContractViolation[];
  /** inject with the admin token. */
  admin(options: InjectOptions): Promise<LightMyRequestResponse>;
  fixtures: ReturnType<typeof createFixtures>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  adminToken?: string | null;
  /** Start time of the manual clock; `null` uses the real clock. */
  now?: string | null;
  poolMax?: number;
  /** Build on this existing database instead of a fresh one (e.g. a second instance); the caller drops it. */
  database?: TestDatabase;
  /** A pino logger, e.g. one writing into memory to inspect log lines. */
  loggerInstance?: BuildAppOptions['loggerInstance'];
}

/** Builds the app on a fresh database; every response is checked against openapi/. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestContext> {
  const db = options.database ?? (await createTestDatabase({ poolMax: options.poolMax }));
  const config = loadConfig({ LOG_LEVEL: 'silent', ...options.env });
  const clock = new ManualClock(options.now ?? '2026-04-28T10:00:00Z');
  const app = await buildApp({
    config,
    database: db.database,
    clock: options.now === null ? undefined : clock,
    adminToken: options.adminToken === undefined ? ADMIN_TOKEN : options.adminToken,
    loggerInstance: options.loggerInstance,
  });
  const violations: ContractViolation[] = [];
  app.addHook('onSend', async (request, reply, payload) => {
    const body =
      typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('utf8')
          : payload instanceof Readable
            ? null
            : '';
    const type = reply.getHeader('content-type');
    violations.push(
      ...contract.check(
        request.method,
        request.url,
        reply.statusCode,
        typeof type === 'string' ? type : undefined,
        body,
      ),
    );
    return payload;
  });
  await app.ready();
  const ctx: TestContext = {
    app,
    db,
    clock,
    config,
    violations,
    admin: (opts) =>
      app.inject({ ...opts, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(opts.headers ?? {}) } }),
    fixtures: undefined as unknown as ReturnType<typeof createFixtures>,
  };
  ctx.fixtures = createFixtures(ctx);
  return ctx;
}

/** Registers the usual lifecycle for a test file and returns a handle filled in beforeAll. */
export function useTestApp(options: TestAppOptions = {}): TestContext {
  const handle = {} as TestContext;
  beforeAll(async () => {
    Object.assign(handle, await createTestApp(options));
  });
  afterEach(() => {
    const found = handle.violations.splice(0);
    assertNoViolations(found);
  });
  afterAll(async () => {
    await handle.app?.close();
    await handle.db?.drop();
  });
  return handle;
}

export interface PartnerFixture {
  id: string;
  clientId: string;
  clientSecret: string;
}

export interface WebhookEndpointFixture {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  secret: string;
}

/**
 * Fast fixtures straight through the repositories (the admin API has its own tests); a webhook
 * endpoint through its /v2 route, which seals its secret.
 */
function createFixtures(ctx: TestContext) {
  const s = () => ctx.app;
  const fixtures = {
    async partner(
      overrides: { scopes?: Scope[]; redirectUris?: string[]; name?: string; sandbox?: boolean } = {},
    ): Promise<PartnerFixture> {
      const clientSecret = `cs_${randomId(32)}`;
      passwordHash ??= hashSecret(PASSWORD);
      const row = await s().partnersRepository.insert({
        id: randomUUID(),
        name: overrides.name ?? 'Test Partner',
        clientId: `ci_${randomId(16)}`,
        clientSecretHash: await hashSecret(clientSecret),
        redirectUris: overrides.redirectUris ?? ['http://127.0.0.1:4000/callback'],
        scopes: overrides.scopes ?? ['promotions:read', 'promotions:write'],
        sandbox: overrides.sandbox ?? false,
        createdAt: ctx.clock.now(),
      });
      return { id: row.id, clientId: row.clientId, clientSecret };
    },
    async account(email = `user-${randomId(6)}@example.com`): Promise<{ id: string; email: string }> {
      passwordHash ??= hashSecret(PASSWORD);
      const row = await s().accountsRepository.insert({
        id: randomUUID(),
        email,
        passwordHash: await passwordHash,
        createdAt: ctx.clock.now(),
      });
      if (!row) throw new Error(`email taken: ${email}`);
      return { id: row.id, email: row.email };
    },
    async promotion(
      partnerId: string,
      fields: Partial<{
        id: string;
        status: 'active' | 'paused' | 'ended';
        startsAt: Date | null;
        endsAt: Date | null;
        durationDays: number | null;
        taskLimitPerMonth: number | null;
        maxEnrollments: number | null;
        allowReenrollment: boolean;
      }> = {},
    ): Promise<string> {
      const id = fields.id ?? `promo_${randomId(6).replace(/[^A-Za-z0-9]/g, 'x')}`;
      await s().promotionsRepository.insert({
        id,
        partnerId,
        name: `Promotion ${id}`,
        status: fields.status ?? 'active',
        startsAt: fields.startsAt ?? null,
        endsAt: fields.endsAt ?? null,
        durationDays: fields.durationDays === undefined ? 90 : fields.durationDays,
        taskLimitPerMonth: fields.taskLimitPerMonth === undefined ? 5 : fields.taskLimitPerMonth,
        maxEnrollments: fields.maxEnrollments ?? null,
        allowReenrollment: fields.allowReenrollment ?? false,
        createdAt: ctx.clock.now(),
        updatedAt: ctx.clock.now(),
      });
      return id;
    },
    async userToken(
      partnerId: string,
      accountId: string,
      scopes: Scope[] = ['promotions:read', 'promotions:write'],
    ) {
      return (await s().tokenService.issueAccessToken({ kind: 'user', partnerId, accountId, scopes }))
        .access_token;
    },
    async appToken(partnerId: string, scopes: Scope[] = ['promotions:read', 'promotions:write']) {
      return (await s().tokenService.issueAccessToken({ kind: 'app', partnerId, accountId: null, scopes }))
        .access_token;
    },
    /**
     * POST /v2/webhook_endpoints for the partner, with an app token of its own (asserts the 201):
     * the endpoint as created, its secret included. `url` defaults to a closed local port.
     */
    async webhookEndpoint(
      partnerId: string,
      fields: { url?: string; event_types?: string[]; description?: string } = {},
    ): Promise<WebhookEndpointFixture> {
      const res = await s().inject({
        method: 'POST',
        url: '/v2/webhook_endpoints',
        headers: bearer(await fixtures.appToken(partnerId)),
        payload: { url: 'http://127.0.0.1:9/hook', ...fields },
      });
      if (res.statusCode !== 201) throw new Error(`webhook endpoint: ${res.statusCode} ${res.body}`);
      return res.json();
    },
  };
  return fixtures;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

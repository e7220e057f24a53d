import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventFeed } from '../../src/events/repository.js';
import { createDeliveriesRepository } from '../../src/webhooks/deliveries-repository.js';
import { createDispatcher } from '../../src/webhooks/dispatcher.js';
import { createEndpointsRepository } from '../../src/webhooks/endpoints-repository.js';
import {
  checkWebhookUrl,
  guardedLookup,
  isForbiddenAddress,
  type Resolver,
} from '../../src/webhooks/ssrf.js';
import { bearer, useTestApp } from '../helpers/app.js';
import { requestsFor } from '../helpers/requests.js';

// Without the allow flag, as in production. No test here connects anywhere but loopback:
// refused addresses are refused before any connection.
const ctx = useTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'false' } });

describe('forbidden addresses', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe('at creation (WEBHOOK_ALLOW_PRIVATE_URLS=false)', () => {
  it.each([
    ['http://127.0.0.1/hook', 'url must be an https:// URL.'],
    ['https://10.0.0.1/hook', 'url must not point at a private or reserved address.'],
    ['https://[::1]/hook', 'url must not point at a private or reserved address.'],
    ['https://169.254.169.254/latest/meta-data', 'url must not point at a private or reserved address.'],
    ['https://[::ffff:127.0.0.1]/hook', 'url must not point at a private or reserved address.'],
    ['https://2130706433/hook', 'url must not point at a private or reserved address.'],
    ['https://[fd00:ec2::254]/latest', 'url must not point at a private or reserved address.'],
    ['https://localhost/hook', 'url host localhost resolves to a private or reserved address.'],
    ['https://user:pw@example.com/hook', 'url must not contain credentials.'],
    ['not a url', 'url must be an absolute URL.'],
  ])('%s → 400', async (url, detail) => {
    const partner = await ctx.fixtures.partner();
    const app = await ctx.fixtures.appToken(partner.id);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v2/webhook_endpoints',
      headers: bearer(app),
      payload: { url },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '400',
          code: 'invalid_request',
          title: 'Invalid Request',
          detail,
          source: { pointer: '/url' },
        },
      ],
    });
    const list = await ctx.app.inject({ method: 'GET', url: '/v2/webhook_endpoints', headers: bearer(app) });
    expect(list.json().data).toEqual([]);
  });

  it('checks a changed URL too', async () => {
    const partner = await ctx.fixtures.partner();
    const app = await ctx.fixtures.appToken(partner.id);
    const created = await ctx.fixtures.webhookEndpoint(partner.id, { url: 'https://93.184.216.34/hook' });
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/v2/webhook_endpoints/${created.id}`,
      headers: bearer(app),
      payload: { url: 'https://192.168.0.10/hook' },
    });
    expect(res.statusCode).toBe(400);
    const read = await ctx.app.inject({
      method: 'GET',
      url: `/v2/webhook_endpoints/${created.id}`,
      headers: bearer(app),
    });
    expect(read.json().url).toBe('https://93.184.216.34/hook');
  });

  it('a hostname resolving to a private address is refused; with the flag, allowed', async () => {
    const resolve: Resolver = async () => [{ address: '10.1.2.3', family: 4 }];
    await expect(
      checkWebhookUrl('https://hooks.partner.test/x', { allowPrivate: false, resolve }),
    ).rejects.toThrow('url host hooks.partner.test resolves to a private or reserved address.');
    await expect(
      checkWebhookUrl('http://hooks.partner.test/x', { allowPrivate: true, resolve }),
    ).resolves.toBeInstanceOf(URL);
  });
});

describe('at delivery', () => {
  let address = '93.184.216.34';
  const resolve: Resolver = async () => [{ address, family: 4 }];

  beforeAll(() => {
    address = '93.184.216.34';
  });
  afterAll(() => {
    address = '93.184.216.34';
  });

  it('an endpoint whose host now resolves to a private address is refused before any connection', async () => {
    const partner = await ctx.fixtures.partner();
    const promotionId = await ctx.fixtures.promotion(partner.id);
    const db = ctx.db.database.db;
    const deliveries = createDeliveriesRepository(db);
    // Registered while the name pointed at a public address (the resolver is the test's).
    const service = (await import('../../src/webhooks/service.js')).createWebhookService({
      endpoints: createEndpointsRepository(db),
      deliveries,
      eventFeed: createEventFeed(db),
      clock: ctx.clock,
      allowPrivateUrls: false,
      resolve,
      auditLog: ctx.app.auditLog,
    });
    const endpoint = await service.create(partner.id, { url: 'https://hooks.partner.test/in' });
    await requestsFor(ctx, () => partner).enrollNew(promotionId);

    address = '169.254.169.254'; // DNS rebinding to the metadata service
    const dispatcher = createDispatcher({
      deliveries,
      clock: ctx.clock,
      timeoutMs: 1000,
      retryScheduleSeconds: [5],
      allowPrivate: false,
      pollIntervalMs: 1000,
      resolve,
    });
    const results = await dispatcher.runOnce();
    await dispatcher.stop();
    expect(results).toEqual([
      {
        deliveryId: expect.any(String),
        eventId: expect.stringMatching(/^evt_/),
        outcome: 'retrying',
        responseStatus: null,
        error: 'refused: url host hooks.partner.test resolves to a private or reserved address.',
      },
    ]);
    const log = await service.deliveries(partner.id, endpoint.id, { limit: 10 });
    expect(log.data[0]!.attempts[0]).toMatchObject({
      response_status: null,
      error: 'refused: url host hooks.partner.test resolves to a private or reserved address.',
    });
  });

  it("the socket's lookup re-checks: a rebinding between check and connect never connects", async () => {
    const lookup = guardedLookup(async () => [{ address: '127.0.0.1', family: 4 }]);
    const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const socket = connect({ host: 'rebind.partner.test', port: 9, lookup });
      socket.on('connect', () => reject(new Error('connected')));
      socket.on('error', resolve);
    });
    expect(error.code).toBe('EWEBHOOKADDR');
    const ok = guardedLookup(async () => [{ address: '93.184.216.34', family: 4 }]);
    const answer = await new Promise<unknown[]>((resolve) =>
      (ok as unknown as (h: string, o: object, cb: (...a: unknown[]) => void) => void)(
        'x.test',
        { all: true },
        (...a) => resolve(a),
      ),
    );
    expect(answer).toEqual([null, [{ address: '93.184.216.34', family: 4 }]]);
  });
});

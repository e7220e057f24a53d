import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLogger, requestLogger, sanitizeUrl } from '../../src/ops/logging.js';
import { ADMIN_TOKEN, bearer, PASSWORD, type PartnerFixture, useTestApp } from '../helpers/app.js';

// The server's own logger (src/server.ts uses createLogger too), at its most verbose, writing
// into memory.
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
const ctx = useTestApp({ loggerInstance: createLogger('trace', sink) });
const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const completed = () => records().filter((r) => r.msg === 'request completed');

let partner: PartnerFixture;
let userToken: string;
let appToken: string;
beforeAll(async () => {
  partner = await ctx.fixtures.partner();
  const account = await ctx.fixtures.account();
  userToken = await ctx.fixtures.userToken(partner.id, account.id);
  appToken = await ctx.fixtures.appToken(partner.id);
});

describe('request logs', () => {
  it('never contain tokens, secrets, passwords, cookies or grant codes', async () => {
    const secrets: string[] = [userToken, appToken, partner.clientSecret, ADMIN_TOKEN, PASSWORD];
    const code = 'ac_GrantCodeNeverLogged123';
    const verifier = 'pkce-verifier-never-logged-0123456789abcdefghijklmnop';
    const cookie = 'session-cookie-never-logged';
    const adminPassword = 'admin-body-password-never-logged';
    secrets.push(code, verifier, cookie, adminPassword);

    const answers = [
      await ctx.app.inject({
        method: 'GET',
        url: `/v2/promotions/p:00000000-0000-4000-8000-000000000000?code=${code}&code_verifier=${verifier}&state=xyz`,
        headers: { ...bearer(appToken), cookie: `sid=${cookie}` },
      }),
      await ctx.app.inject({
        method: 'POST',
        url: '/v2/promotions',
        headers: { 'content-type': 'application/json' },
        payload: { promotion_id: 'nope', user_access_token: userToken },
      }),
      await ctx.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=client_credentials&client_id=${partner.clientId}&client_secret=${partner.clientSecret}`,
      }),
      await ctx.app.inject({
        method: 'POST',
        url: `/oauth/token?client_secret=${partner.clientSecret}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `grant_type=authorization_code&code=${code}&code_verifier=${verifier}`,
      }),
      await ctx.admin({
        method: 'POST',
        url: '/admin/v1/accounts',
        payload: { email: 'logged-out@example.com', password: adminPassword },
      }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([404, 404, 200, 401, 201]);
    // The access token just issued must not be logged either.
    secrets.push((answers[2]!.json() as { access_token: string }).access_token);

    const output = lines.join('\n');
    expect(output.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).toContain(`code=[redacted]&code_verifier=[redacted]&state=xyz`);
  });

  it('are one JSON line per request with its id, route, status, duration and partner', async () => {
    lines.length = 0;
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v2/promotions/p:00000000-0000-4000-8000-000000000000',
      headers: { ...bearer(appToken), 'x-request-id': 'trace-me-42' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-request-id']).toBe('trace-me-42');
    expect(completed()).toEqual([
      expect.objectContaining({
        level: 30,
        reqId: 'trace-me-42',
        method: 'GET',
        url: '/v2/promotions/p:00000000-0000-4000-8000-000000000000',
        route: '/v2/promotions/:enrollment_id',
        status: 404,
        duration_ms: expect.any(Number),
        partner_id: partner.id,
      }),
    ]);
    // Fastify's own incoming/completed pair is off: this is the only line of the request.
    expect(records().filter((r) => r.reqId === 'trace-me-42')).toHaveLength(1);
  });

  it('generate a request id when the given one is not sane, and label unknown routes', async () => {
    lines.length = 0;
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/v2/nowhere',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(res.statusCode).toBe(404);
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(completed()).toEqual([
      expect.objectContaining({ reqId: id, route: 'unmatched', status: 404, url: '/v2/nowhere' }),
    ]);
    expect(completed()[0]).not.toHaveProperty('partner_id');
  });
});

describe("a request's own logger", () => {
  it('carries the request id, once, on each line the request logs', async () => {
    lines.length = 0;
    // A name PostgreSQL refuses (a NUL byte): the error handler logs it through the request's logger.
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/partners',
      headers: { 'x-request-id': 'nul-request-7' },
      payload: { name: 'a\u0000b', redirect_uris: ['https://example.com/cb'], scopes: ['promotions:read'] },
    });
    expect(res.statusCode).toBe(400);
    const mine = records().filter((r) => r.reqId === 'nul-request-7');
    expect(mine.map((r) => r.msg)).toEqual(['database refused a value', 'request completed']);
    expect(lines.join('\n').match(/"reqId":/g)).toHaveLength(2);
  });

  it('is a child whose bindings are the request id, written as pino writes a binding', () => {
    const out: string[] = [];
    const root = createLogger(
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          out.push(String(chunk));
          done();
        },
      }),
    );
    const child = requestLogger(root, { reqId: 'quote"and\\slash' }, {}) as Logger;
    expect(child.bindings()).toEqual({ reqId: 'quote"and\\slash' });
    child.info({ body: { password: 'hunter2' }, n: 1 }, 'logged');
    expect(JSON.parse(out.join(''))).toMatchObject({
      reqId: 'quote"and\\slash',
      body: { password: '[redacted]' },
      n: 1,
      msg: 'logged',
    });
  });
});

describe('redaction', () => {
  it('censors credentials in any object logged through the app or a request logger', async () => {
    lines.length = 0;
    const secrets = [
      'S-auth',
      'S-cookie',
      'S-proxy',
      'S-pass',
      'S-code',
      'S-client',
      'S-token',
      'S-refresh',
      'S-verifier',
      'S-grant',
      'S-header',
    ];
    // `req` goes through Fastify's request serializer, which keeps none of these; `headers` is logged as given.
    const logged = {
      headers: { authorization: 'S-header', 'x-kept': 'visible' },
      req: { headers: { authorization: 'S-auth', cookie: 'S-cookie', 'proxy-authorization': 'S-proxy' } },
      body: { password: 'S-pass', code: 'S-code' },
      anything: { client_secret: 'S-client', token: 'S-token', refresh_token: 'S-refresh' },
      err: { code: 'E_KEPT', code_verifier: 'S-verifier', form: { code: 'S-grant' } },
    };
    ctx.app.log.warn(logged, 'from the app');
    // A request's own logger (a child carrying its reqId) redacts the same.
    ctx.app.log.child({ reqId: 'child-1' }).error(logged, 'from a child');
    const written = records().filter((r) => r.msg === 'from the app' || r.msg === 'from a child');
    expect(written).toHaveLength(2);
    const output = lines.join('\n');
    for (const secret of secrets) expect(output).not.toContain(secret);
    for (const record of written) {
      expect(record).toMatchObject({
        headers: { authorization: '[redacted]', 'x-kept': 'visible' },
        body: { password: '[redacted]', code: '[redacted]' },
        anything: { client_secret: '[redacted]', token: '[redacted]', refresh_token: '[redacted]' },
        err: { code: 'E_KEPT', code_verifier: '[redacted]', form: { code: '[redacted]' } },
      });
    }
    // The caller's objects are left as they were.
    expect(logged.body.password).toBe('S-pass');
  });
});

describe('sanitizeUrl', () => {
  it('redacts the values of credential parameters and keeps the rest', () => {
    expect(sanitizeUrl('/a?access_token=x&state=s&Code=y&client%5Fsecret=z&password=p&refresh_token=r')).toBe(
      '/a?access_token=[redacted]&state=s&Code=[redacted]&client%5Fsecret=[redacted]&password=[redacted]&refresh_token=[redacted]',
    );
    expect(sanitizeUrl('/a/b')).toBe('/a/b');
    expect(sanitizeUrl('/a?token&x=1')).toBe('/a?token=[redacted]&x=1');
  });
});

// Coalescing token issuance (issue 27, src/auth/token-batch.ts): client_credentials grants that
// arrive together share their partner reads and multi-row INSERTs, and each caller gets a
// working token of its own partner and scopes, or its own refusal; a read or an insert that
// fails in a batch fails only its own request.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../../src/auth/scopes.js';
import { tokenBatchCounts } from '../../src/auth/token-batch.js';
import { mintOpaque, parseOpaque } from '../../src/auth/token-service.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { backend } from '../helpers/database.js';
import { clockCalls } from '../test-clocks/helpers.js';

const ctx = useTestApp({ env: { RATE_LIMIT_PER_HOUR: '100000', RATE_LIMIT_IP_PER_HOUR: '100000' } });
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (p: PartnerFixture) =>
  `Basic ${Buffer.from(`${p.clientId}:${p.clientSecret}`).toString('base64')}`;

describe('client_credentials coalesced (issue 27)', () => {
  it('gives each of many concurrent grants of two partners a working token of its own partner and scopes', async () => {
    const writer = await ctx.fixtures.partner({ name: 'Writer' });
    const reader = await ctx.fixtures.partner({ name: 'Reader', scopes: ['promotions:read'] });
    const grants = Array.from({ length: 48 }, (_, i) => {
      const partner = i % 3 === 0 ? reader : writer;
      // The writer asks for both scopes, or narrows to read every fourth time.
      const scope = partner === writer && i % 4 === 1 ? 'promotions:read' : undefined;
      return { partner, scope };
    });
    const grant = (partner: PartnerFixture, scope?: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { ...form, authorization: basic(partner) },
        payload: `grant_type=client_credentials${scope ? `&scope=${encodeURIComponent(scope)}` : ''}`,
      });
    // One grant each first: its secret then passes without scrypt (verifiedSecrets), as under load.
    for (const partner of [writer, reader]) expect((await grant(partner)).statusCode).toBe(200);
    const before = { ...tokenBatchCounts.insert };
    const answers = await Promise.all(grants.map(({ partner, scope }) => grant(partner, scope)));
    const requests = tokenBatchCounts.insert.requests - before.requests;
    const statements = tokenBatchCounts.insert.statements - before.statements;
    expect(requests).toBe(grants.length);
    if (backend === 'pg') {
      // On PGlite the grants' inserts do not overlap (each inject reaches its insert after the
      // previous one's has returned, the in-process database answering at once); the next
      // test shows the batch on both backends.
      expect(tokenBatchCounts.insert.batches - before.batches).toBeGreaterThan(0);
      expect(statements).toBeLessThan(requests);
    }

    const tokens = answers.map((res) => res.json().access_token as string);
    expect(new Set(tokens).size).toBe(grants.length);
    for (const [i, { partner, scope }] of grants.entries()) {
      const expected = scope ?? (partner === writer ? 'promotions:read promotions:write' : 'promotions:read');
      expect({ i, status: answers[i]!.statusCode, scope: answers[i]!.json().scope }).toEqual({
        i,
        status: 200,
        scope: expected,
      });
      const verified = await ctx.app.tokenService.verifyAccessToken(tokens[i]!);
      expect({ i, verified }).toEqual({
        i,
        verified: {
          ok: true,
          principal: expect.objectContaining({
            kind: 'app',
            partnerId: partner.id,
            accountId: null,
            scopes: expected.split(' '),
            testClockId: null,
            clockTime: null,
          }),
        },
      });
    }
    // Each token works on the API as its scopes say: past the token (404) with write, 403 without.
    const deletes = await Promise.all(
      tokens.map((token) =>
        ctx.app.inject({
          method: 'DELETE',
          url: '/v2/promotions/x:00000000-0000-4000-8000-000000000000',
          headers: bearer(token),
        }),
      ),
    );
    grants.forEach(({ partner, scope }, i) => {
      expect({ i, status: deletes[i]!.statusCode }).toEqual({
        i,
        status: partner === writer && !scope ? 404 : 403,
      });
    });
  });

  it('inserts many tokens at once as one at a time would, each its own partner, account, scopes and clock', async () => {
    const { partner, appToken } = await clockCalls(ctx).sandbox();
    const other = await ctx.fixtures.partner();
    const clockId = await clockCalls(ctx).clock(appToken, '2027-03-01T00:00:00Z');
    const onClock = await clockCalls(ctx).account(appToken, clockId);
    const live = await ctx.fixtures.account();
    const kinds = [
      { partnerId: partner.id, accountId: onClock.account_id, scopes: ['promotions:read'] as Scope[] },
      { partnerId: other.id, accountId: live.id, scopes: ['promotions:write'] as Scope[] },
      { partnerId: partner.id, accountId: null, scopes: ['promotions:read', 'promotions:write'] as Scope[] },
      { partnerId: other.id, accountId: null, scopes: [] as Scope[] },
    ];
    const order = Array.from({ length: 16 }, (_, i) => kinds[(i * 3) % kinds.length]!);
    const before = { ...tokenBatchCounts.insert };
    const issued = await Promise.all(
      order.map((k, i) =>
        ctx.app.tokenService.issueAccessToken({
          kind: k.accountId ? 'user' : 'app',
          ...k,
          familyId: i % 2 ? randomUUID() : null,
        }),
      ),
    );
    expect(tokenBatchCounts.insert.batches - before.batches).toBeGreaterThan(0);
    expect(tokenBatchCounts.insert.statements - before.statements).toBeLessThan(order.length / 2);
    for (const [i, k] of order.entries()) {
      const row = await ctx.app.tokenRepository.findAccessToken(
        parseOpaque(issued[i]!.access_token, 'at')!.id,
      );
      const clocked = k.accountId === onClock.account_id;
      expect({ i, scope: issued[i]!.scope, row }).toEqual({
        i,
        scope: k.scopes.join(' '),
        row: expect.objectContaining({
          kind: k.accountId ? 'user' : 'app',
          partnerId: k.partnerId,
          accountId: k.accountId,
          scopes: k.scopes,
          familyId: i % 2 ? expect.stringMatching(/^[0-9a-f-]{36}$/) : null,
          revokedAt: null,
          testClockId: clocked ? clockId : null,
          clockTime: clocked ? new Date('2027-03-01T00:00:00Z') : null,
          expiresAt: new Date(ctx.clock.now().getTime() + 3600_000),
          createdAt: ctx.clock.now(),
        }),
      });
      expect(await ctx.app.tokenService.verifyAccessToken(issued[i]!.access_token)).toMatchObject({
        ok: true,
      });
    }
  });

  it('fails only the insert that fails in a batch: the others are stored', async () => {
    const partner = await ctx.fixtures.partner();
    const token = (partnerId: string) => {
      const minted = mintOpaque('at');
      return {
        id: minted.id,
        secretHash: minted.secretHash,
        kind: 'app' as const,
        partnerId,
        accountId: null,
        scopes: ['promotions:read'],
        familyId: null,
        expiresAt: new Date(ctx.clock.now().getTime() + 3600_000),
        createdAt: ctx.clock.now(),
      };
    };
    // The fifth names a partner that does not exist: its foreign key fails the batch's INSERT.
    const tokens = Array.from({ length: 10 }, (_, i) => token(i === 4 ? randomUUID() : partner.id));
    const before = { ...tokenBatchCounts.insert };
    const outcomes = await Promise.allSettled(
      tokens.map((t) => ctx.app.tokenRepository.insertAccessToken(t)),
    );
    expect(tokenBatchCounts.insert.batches - before.batches).toBeGreaterThan(0);
    expect(outcomes.map((o) => o.status)).toEqual(tokens.map((_, i) => (i === 4 ? 'rejected' : 'fulfilled')));
    for (const [i, t] of tokens.entries()) {
      const row = await ctx.app.tokenRepository.findAccessToken(t.id);
      expect({ i, partnerId: row?.partnerId }).toEqual({ i, partnerId: i === 4 ? undefined : partner.id });
    }
  });

  it('reads many partners by client_id at once, each request its own partner, none, or its own error', async () => {
    const writer = await ctx.fixtures.partner({ name: 'Writer' });
    const reader = await ctx.fixtures.partner({ name: 'Reader', scopes: ['promotions:read'] });
    const read = async (asked: string[]) => {
      const before = { ...tokenBatchCounts.partner };
      const outcomes = await Promise.allSettled(
        asked.map((id) => ctx.app.partnersRepository.findByClientId(id)),
      );
      expect(tokenBatchCounts.partner.requests - before.requests).toBe(asked.length);
      expect(tokenBatchCounts.partner.batches - before.batches).toBeGreaterThan(0);
      return outcomes;
    };
    // The first two go alone (nothing in flight), the rest queue behind them as one batch.
    const { clientId: w } = writer;
    const { clientId: r } = reader;
    const clean = await read([w, r, w, 'ci_unknown', r, r, 'NULL', w, 'ci_other']);
    const ids = clean.map((o) => (o.status === 'fulfilled' ? o.value?.id : 'rejected'));
    expect(ids).toEqual([
      writer.id,
      reader.id,
      writer.id,
      undefined,
      reader.id,
      reader.id,
      undefined,
      writer.id,
      undefined,
    ]);
    // No two requests share a row object (a caller may not see another's).
    const [, , third, , , , , eighth] = clean as PromiseFulfilledResult<{ id: string }>[];
    expect(third!.value).not.toBe(eighth!.value);
    expect(third!.value).toEqual(eighth!.value);
    // A client id PostgreSQL refuses fails its batch's statement: each runs again alone, and only it fails.
    const mixed = await read([w, r, r, 'a\u0000b', w, 'ci_unknown']);
    expect(mixed.map((o) => (o.status === 'fulfilled' ? o.value?.id : 'rejected'))).toEqual([
      writer.id,
      reader.id,
      reader.id,
      'rejected',
      writer.id,
      undefined,
    ]);
  });

  it('answers concurrent grants with good, wrong, unknown, disabled and unstorable credentials each as alone', async () => {
    const good = await ctx.fixtures.partner({ name: 'Good' });
    const disabled = await ctx.fixtures.partner({ name: 'Disabled' });
    const grant = (authorization: string) =>
      ctx.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { ...form, authorization },
        payload: 'grant_type=client_credentials',
      });
    for (const partner of [good, disabled]) expect((await grant(basic(partner))).statusCode).toBe(200);
    await ctx.app.partnersRepository.update(disabled.id, { disabledAt: ctx.clock.now() });
    const failed = { error: 'invalid_client', error_description: 'Client authentication failed.' };
    const cases = [
      { authorization: basic(good), status: 200 },
      { authorization: basic({ ...good, clientSecret: 'cs_wrong' }), status: 401, body: failed },
      { authorization: basic({ ...good, clientId: 'ci_nobody' }), status: 401, body: failed },
      {
        authorization: basic(disabled),
        status: 401,
        body: { error: 'invalid_client', error_description: 'The client is disabled.' },
      },
      {
        authorization: basic({ ...good, clientId: 'a%00b' }),
        status: 400,
        body: {
          error: 'invalid_request',
          error_description:
            'The request contains a value that cannot be stored (for example a NUL character).',
        },
      },
    ];
    const order = Array.from({ length: 20 }, (_, i) => cases[(i * 2) % cases.length]!);
    const answers = await Promise.all(order.map((c) => grant(c.authorization)));
    order.forEach((c, i) => {
      const res = answers[i]!;
      expect({ i, status: res.statusCode, body: c.status === 200 ? undefined : res.json() }).toEqual({
        i,
        status: c.status,
        body: c.body,
      });
      if (c.status === 200)
        expect(res.json()).toMatchObject({ token_type: 'Bearer', scope: expect.any(String) });
    });
  });
});

// CONTRACT §11: roles on the admin API. Every operation of openapi/admin.yaml declares the role
// it needs (x-required-role); the server's routes declare theirs (config.role). Calling every
// operation with a viewer's and an editor's key proves the two agree: below the role, 403
// permission_denied in the envelope naming both roles (before the body is even read); at or
// above it, never 403.
import { describe, expect, it } from 'vitest';
import { bearer, useTestApp } from '../helpers/app.js';
import { loadContract } from '../helpers/contract.js';
import { operatorWithKey } from './operator-helpers.js';

const ctx = useTestApp();
const RANK = { viewer: 0, editor: 1, owner: 2 } as const;
type Role = keyof typeof RANK;

interface Operation {
  method: string;
  path: string;
  role: Role;
  /** CONTRACT §12: `x-meter: true`, an operation a meter key may call. */
  meter: boolean;
}

/** Every /admin/v1 operation of the contract with the role it declares. */
function adminOperations(): Operation[] {
  const doc = loadContract().documents['admin.yaml'] as { paths: Record<string, Record<string, unknown>> };
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!path.startsWith('/admin/v1/')) continue;
    for (const method of ['get', 'post', 'patch', 'delete']) {
      const op = item[method] as { 'x-required-role'?: Role; 'x-meter'?: boolean } | undefined;
      if (!op) continue;
      out.push({
        method: method.toUpperCase(),
        path,
        role: op['x-required-role'] as Role,
        meter: op['x-meter'] === true,
      });
    }
  }
  return out;
}

/** A concrete URL for a template: ids that exist nowhere (the role check comes first). */
const urlOf = (path: string) =>
  path
    .replace('{partner_id}', '00000000-0000-4000-8000-000000000001')
    .replace('{operator_id}', '00000000-0000-4000-8000-000000000002')
    .replace('{promotion_id}', 'no_such_promotion')
    .replace('{enrollment_id}', 'no_such_promotion:00000000-0000-4000-8000-000000000003')
    .replace('{endpoint_id}', 'we_0')
    .replace('{event_id}', 'evt_0')
    .replace('{test_clock_id}', 'clock_0')
    .replace('{account_id}', '00000000-0000-4000-8000-000000000004')
    .replace('{key_id}', 'AAAAAAAAAAAAAAAAAAAAAA');

describe('every admin operation declares a role', () => {
  it('in the contract, and reads need viewer only', () => {
    const operations = adminOperations();
    expect(operations.length).toBeGreaterThan(30);
    for (const op of operations) {
      expect(Object.keys(RANK), `${op.method} ${op.path}`).toContain(op.role);
      if (op.method === 'GET' && !op.path.startsWith('/admin/v1/operators')) {
        expect(op.role, `${op.method} ${op.path}`).toBe('viewer');
      }
    }
  });

  it.each(['viewer', 'editor'] as const)('and the server enforces it for a %s key', async (have) => {
    const { key } = await operatorWithKey(ctx, have);
    for (const op of adminOperations()) {
      const res = await ctx.app.inject({
        method: op.method as 'GET',
        url: urlOf(op.path),
        headers: { ...bearer(key), 'content-type': 'application/json' },
        payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}',
      });
      const where = `${op.method} ${op.path} as ${have}`;
      if (RANK[have] < RANK[op.role]) {
        expect(res.statusCode, where).toBe(403);
        expect(res.json(), where).toEqual({
          errors: [
            {
              status: '403',
              code: 'permission_denied',
              title: 'Permission Denied',
              detail: `This action needs the ${op.role} role; the caller has the ${have} role.`,
            },
          ],
        });
      } else {
        expect(res.statusCode, where).not.toBe(403);
        expect(res.statusCode, where).not.toBe(401);
      }
    }
  });
});

const METER_ONLY = 'A meter key may call only POST /admin/v1/usage_events and GET /admin/v1/entitlements.';

/** One call of `op` with `key`: ids that exist nowhere, `{}` as the body of a write. */
const call = (op: Operation, key: string) =>
  ctx.app.inject({
    method: op.method as 'GET',
    url: urlOf(op.path),
    headers: { ...bearer(key), 'content-type': 'application/json' },
    payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}',
  });

describe('a meter key (CONTRACT §12)', () => {
  it('may call the two x-meter operations and gets 403 permission_denied on every other', async () => {
    const { key } = await operatorWithKey(ctx, 'editor', { keyRole: 'meter' });
    const operations = adminOperations();
    expect(
      operations
        .filter((op) => op.meter)
        .map((op) => `${op.method} ${op.path}`)
        .sort(),
    ).toEqual(['GET /admin/v1/entitlements', 'POST /admin/v1/usage_events']);
    for (const op of operations) {
      const res = await call(op, key);
      const where = `${op.method} ${op.path} as meter`;
      if (op.meter) {
        // Past authentication and the role check: the empty request is the caller's fault.
        expect(res.statusCode, where).toBe(400);
        continue;
      }
      expect(res.statusCode, where).toBe(403);
      expect(res.json(), where).toEqual({
        errors: [
          { status: '403', code: 'permission_denied', title: 'Permission Denied', detail: METER_ONLY },
        ],
      });
    }
  });

  it('meters and reads entitlements with real accounts', async () => {
    const { key } = await operatorWithKey(ctx, 'owner', { keyRole: 'meter' });
    const account = await ctx.fixtures.account();
    const posted = await ctx.app.inject({
      method: 'POST',
      url: '/admin/v1/usage_events',
      headers: { ...bearer(key), 'content-type': 'application/json' },
      payload: JSON.stringify({ events: [{ id: 'meter-key-event', account_id: account.id, tasks: 3 }] }),
    });
    expect(posted.statusCode).toBe(200);
    expect(posted.json()).toEqual({
      data: [{ id: 'meter-key-event', status: 'recorded', sponsored: 0, unsponsored: 3, allocations: [] }],
    });
    const entitlement = await ctx.app.inject({
      method: 'GET',
      url: `/admin/v1/entitlements?account_id=${account.id}`,
      headers: bearer(key),
    });
    expect(entitlement.statusCode).toBe(200);
    expect(entitlement.json()).toMatchObject({
      account_id: account.id,
      sponsored_remaining: 0,
      enrollments: [],
    });
  });

  it('cannot be made for a viewer operator (400)', async () => {
    const { operator } = await operatorWithKey(ctx, 'viewer');
    const res = await ctx.admin({
      method: 'POST',
      url: `/admin/v1/operators/${operator.id}/api_keys`,
      payload: { name: 'meter for a viewer', role: 'meter' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      errors: [
        {
          status: '400',
          code: 'invalid_request',
          title: 'Invalid Request',
          detail: "A key's role cannot exceed its operator's (viewer).",
          source: { pointer: '/role' },
        },
      ],
    });
  });

  it('stops working (401) once its operator is demoted to viewer', async () => {
    const { operator, key } = await operatorWithKey(ctx, 'editor', { keyRole: 'meter' });
    const entitlement = () =>
      ctx.app.inject({
        method: 'GET',
        url: '/admin/v1/entitlements?account_id=00000000-0000-4000-8000-000000000004',
        headers: bearer(key),
      });
    expect((await entitlement()).statusCode).toBe(404);
    const demoted = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/operators/${operator.id}`,
      payload: { role: 'viewer' },
    });
    expect(demoted.statusCode).toBe(200);
    const refused = await entitlement();
    expect(refused.statusCode).toBe(401);
    expect(refused.json().errors[0]).toEqual({
      status: '401',
      code: 'not_authenticated',
      title: 'User Not Authenticated',
      detail: 'The API key is invalid, revoked, or its operator is disabled.',
    });
  });

  it('gets 403 permission_denied on the console too, not a sign-in page', async () => {
    const { key } = await operatorWithKey(ctx, 'owner', { keyRole: 'meter' });
    const res = await ctx.app.inject({ method: 'GET', url: '/console/promotions', headers: bearer(key) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({
      errors: [{ status: '403', code: 'permission_denied', title: 'Permission Denied', detail: METER_ONLY }],
    });
  });
});

describe("a partner's token (BFLA)", () => {
  it('is refused on every admin operation with 401 not_authenticated, a user token and an app token', async () => {
    const partner = await ctx.fixtures.partner();
    const account = await ctx.fixtures.account();
    const tokens = {
      user: await ctx.fixtures.userToken(partner.id, account.id),
      app: await ctx.fixtures.appToken(partner.id),
    };
    for (const op of adminOperations()) {
      for (const [kind, token] of Object.entries(tokens)) {
        const res = await call(op, token);
        const where = `${op.method} ${op.path} with a partner's ${kind} token`;
        expect(res.statusCode, where).toBe(401);
        expect(res.headers['www-authenticate'], where).toBe('Bearer realm="admin", error="invalid_token"');
        expect(res.json(), where).toEqual({
          errors: [
            {
              status: '401',
              code: 'not_authenticated',
              title: 'User Not Authenticated',
              detail: 'The admin token is invalid.',
            },
          ],
        });
      }
    }
  });
});

describe('who may call', () => {
  it('ADMIN_TOKEN is an owner', async () => {
    const res = await ctx.admin({ method: 'GET', url: '/admin/v1/operators' });
    expect(res.statusCode).toBe(200);
  });

  it("a key's role is the lower of its own and its operator's, now", async () => {
    const { operator, key } = await operatorWithKey(ctx, 'owner', { keyRole: 'editor' });
    const listOperators = () =>
      ctx.app.inject({ method: 'GET', url: '/admin/v1/operators', headers: bearer(key) });
    expect((await listOperators()).statusCode).toBe(403);
    const promotions = () =>
      ctx.app.inject({
        method: 'PATCH',
        url: '/admin/v1/promotions/none',
        headers: { ...bearer(key), 'content-type': 'application/json' },
        payload: '{}',
      });
    expect((await promotions()).statusCode).toBe(404);
    // Demoting the operator narrows the key at once (another owner remains: see last_owner).
    await operatorWithKey(ctx, 'owner');
    const demoted = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/operators/${operator.id}`,
      payload: { role: 'viewer' },
    });
    expect(demoted.statusCode).toBe(200);
    const refused = await promotions();
    expect(refused.statusCode).toBe(403);
    expect(refused.json().errors[0].detail).toBe(
      'This action needs the editor role; the caller has the viewer role.',
    );
  });

  it('refuses a revoked key and a disabled operator with 401 invalid_token', async () => {
    const { operator, key, keyId } = await operatorWithKey(ctx, 'viewer');
    const read = () => ctx.app.inject({ method: 'GET', url: '/admin/v1/promotions', headers: bearer(key) });
    expect((await read()).statusCode).toBe(200);
    const revoked = await ctx.admin({
      method: 'DELETE',
      url: `/admin/v1/operators/${operator.id}/api_keys/${keyId}`,
    });
    expect(revoked.statusCode).toBe(204);
    const refused = await read();
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="admin", error="invalid_token"');
    expect(refused.json().errors[0]).toEqual({
      status: '401',
      code: 'not_authenticated',
      title: 'User Not Authenticated',
      detail: 'The API key is invalid, revoked, or its operator is disabled.',
    });

    const other = await operatorWithKey(ctx, 'viewer');
    const otherRead = () =>
      ctx.app.inject({ method: 'GET', url: '/admin/v1/promotions', headers: bearer(other.key) });
    expect((await otherRead()).statusCode).toBe(200);
    const disabled = await ctx.admin({
      method: 'PATCH',
      url: `/admin/v1/operators/${other.operator.id}`,
      payload: { disabled: true },
    });
    expect(disabled.statusCode).toBe(200);
    expect((await otherRead()).statusCode).toBe(401);
  });

  it('refuses a key with a wrong secret, and a malformed one, with 401', async () => {
    const { key } = await operatorWithKey(ctx, 'owner');
    const wrong = `${key.slice(0, -4)}${key.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    for (const value of [wrong, 'adk_short', `${key}x`]) {
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/admin/v1/promotions',
        headers: bearer(value),
      });
      expect(res.statusCode, value).toBe(401);
    }
  });
});

// The bootstrap suites' app: POST /admin/v1/bootstrap on an app whose log is kept, with a check
// after the file that no secret a document declared was ever logged or answered (issue 21 item 4).
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import { afterAll, expect } from 'vitest';
import { partners } from '../../src/db/schema.js';
import { createLogger } from '../../src/ops/logging.js';
import { useTestApp } from '../helpers/app.js';
import { basic, FORM } from '../oauth/oauth-helpers.js';

// Markers no generated value can contain (base64url ids never have "~" or "!").
export const SECRET = 'cs~bootstrap!client-secret-1';
export const NEW_SECRET = 'cs~bootstrap!client-secret-2';
export const PASSWORD_1 = 'pw~bootstrap!password-1';
export const PASSWORD_2 = 'pw~bootstrap!password-2';
export const HOOK_SECRET_1 = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
export const HOOK_SECRET_2 = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;

/** The file's app, and the steps that read and write through it. */
export function useBootstrapApp() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const ctx = useTestApp({ loggerInstance: createLogger('trace', sink) });
  const answers: string[] = [];

  afterAll(() => {
    // Secrets never logged, never answered (issue 21 item 4).
    const everything = [...lines, ...answers].join('\n');
    for (const secret of [SECRET, NEW_SECRET, PASSWORD_1, PASSWORD_2, HOOK_SECRET_1, HOOK_SECRET_2]) {
      expect(everything).not.toContain(secret);
    }
    expect(lines.some((l) => l.includes('/admin/v1/bootstrap'))).toBe(true);
  });

  async function apply(document: unknown, dryRun = false) {
    const res = await ctx.admin({
      method: 'POST',
      url: '/admin/v1/bootstrap',
      payload: { document, dry_run: dryRun },
    });
    answers.push(res.body);
    return res;
  }

  const clientCredentials = (clientId: string, secret: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { ...FORM, authorization: basic(clientId, secret) },
      payload: 'grant_type=client_credentials',
    });

  async function partnerRow(clientId: string) {
    const [row] = await ctx.app.db.select().from(partners).where(eq(partners.clientId, clientId));
    return row;
  }

  return { ctx, apply, answers, clientCredentials, partnerRow };
}

export const outcomes = (res: {
  json(): { changes: Array<{ key: string; outcome: string; fields: string[] }> };
}) => res.json().changes.map((c) => [c.key, c.outcome, ...c.fields]);

export function document(suffix: string, overrides: Record<string, unknown> = {}) {
  return {
    partners: [
      {
        client_id: `acme-${suffix}`,
        name: 'Acme',
        client_secret: SECRET,
        redirect_uris: ['http://127.0.0.1:4000/callback'],
        sandbox: true,
      },
    ],
    accounts: [{ email: `jane-${suffix}@example.com`, password: PASSWORD_1 }],
    promotions: [
      {
        id: `promo_${suffix}`,
        partner: `acme-${suffix}`,
        name: 'Spring',
        duration_days: 90,
        task_limit_per_month: 100,
        starts_at: '2026-04-01T00:00:00.250+02:00',
      },
    ],
    webhook_endpoints: [
      {
        partner: `acme-${suffix}`,
        url: `http://127.0.0.1:4000/hooks/${suffix}`,
        event_types: ['enrollment.created'],
        secret: HOOK_SECRET_1,
      },
    ],
    ...overrides,
  };
}

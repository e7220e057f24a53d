// CONTRACT §10: reading a bootstrap file. Every problem is listed, one line each, naming the
// object and the field; secrets come from the environment variables the file names, and no
// message ever carries a secret's value.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBootstrapFile } from '../../src/bootstrap/parse.js';
import { isBootstrapError, problemLines } from '../../src/bootstrap/problems.js';

const WEBHOOK_SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const ENV = {
  ACME_CLIENT_SECRET: 'ci-secret-0123456789abcdef',
  ACME_USER_PASSWORD: 'a long password',
  ACME_WEBHOOK_SECRET: WEBHOOK_SECRET,
};

/** The problem lines of a file that must not parse. */
function problems(text: string, env: Record<string, string> = ENV): string[] {
  try {
    parseBootstrapFile(text, env);
  } catch (err) {
    if (!isBootstrapError(err)) throw err;
    expect(err.code).toBe('invalid_request');
    return problemLines(err);
  }
  throw new Error('the file parsed');
}

const PARTNER = `partners:
  - client_id: acme-ci
    name: Acme
    client_secret_env: ACME_CLIENT_SECRET
    redirect_uris: [http://127.0.0.1:4000/callback]
`;

describe('parseBootstrapFile', () => {
  it('reads examples/ci/seed.yaml with its secrets from the environment, defaults filled in', () => {
    const { document, input } = parseBootstrapFile(readFileSync('examples/ci/seed.yaml', 'utf8'), ENV);
    expect(document).toEqual({
      prune: false,
      partners: [
        {
          client_id: 'acme-ci',
          name: 'Acme Automations (CI)',
          client_secret: ENV.ACME_CLIENT_SECRET,
          redirect_uris: ['http://127.0.0.1:4000/callback'],
          scopes: ['promotions:read', 'promotions:write'],
          sandbox: true,
          status: 'enabled',
        },
      ],
      accounts: [{ email: 'ci-user@acme.example', password: ENV.ACME_USER_PASSWORD }],
      promotions: [
        {
          id: 'acme_ci_promotion',
          partner: 'acme-ci',
          name: 'CI: 100 sponsored tasks a month for 90 days',
          status: 'active',
          duration_days: 90,
          task_limit_per_month: 100,
          allow_reenrollment: false,
        },
      ],
      webhook_endpoints: [
        {
          partner: 'acme-ci',
          url: 'http://127.0.0.1:4000/webhooks',
          event_types: ['enrollment.created', 'enrollment.expired'],
          description: null,
          status: 'enabled',
          secret: WEBHOOK_SECRET,
        },
      ],
    });
    // What the CLI sends: the file as written, each variable replaced by its value.
    expect(input.partners?.[0]).toEqual({
      client_id: 'acme-ci',
      name: 'Acme Automations (CI)',
      client_secret: ENV.ACME_CLIENT_SECRET,
      redirect_uris: ['http://127.0.0.1:4000/callback'],
      sandbox: true,
    });
  });

  it('treats an empty file as declaring nothing', () => {
    expect(parseBootstrapFile('# nothing yet\n', {}).document).toEqual({
      prune: false,
      partners: [],
      accounts: [],
      promotions: [],
      webhook_endpoints: [],
    });
  });

  it('lists every problem of the file, each naming the object and the field', () => {
    const text = `${PARTNER}  - client_id: ci_taken
    name: ""
    client_secret_env: 1BAD
    redirect_uris: [ftp://x.example/cb]
    scopes: [promotions:admin]
accounts:
  - email: not-an-email
    password_env: ACME_USER_PASSWORD
promotions:
  - id: ok_one
    partner: acme-ci
    name: One
  - id: ok_two
    partner: acme-ci
    name: Two
    durations_days: 90
  - id: bad one
    partner: acme-ci
    name: Three
    duration_days: -1
    task_limit_per_month: 1.5
    status: over
    starts_at: 2026-05-01
    allow_reenrollment: "yes"
  - partner: acme-ci
    name: Window
    id: window
    starts_at: 2026-05-01T00:00:00Z
    ends_at: 2026-04-01T00:00:00Z
webhook_endpoints:
  - partner: acme-ci
    url: not a url
    event_types: []
    secret_env: ACME_WEBHOOK_SECRET
extra: true
`;
    expect(problems(text)).toEqual([
      'extra: is not a section of the file (partners, accounts, promotions, webhook_endpoints, prune)',
      'partners[1].client_id: must not start with "ci_", the prefix of the client ids the server generates',
      'partners[1].name: must not be empty',
      'partners[1].redirect_uris[0]: must be an absolute http(s) URL without a fragment',
      'partners[1].scopes[0]: must be one of promotions:read, promotions:write',
      'partners[1].client_secret_env: must be the name of an environment variable (letters, digits and "_")',
      'accounts[0].email: must be an email address',
      'promotions[1].durations_days: is not a field of a promotion',
      'promotions[2].id: must be 1-64 characters of letters, digits, "_", "." or "-"',
      'promotions[2].status: must be active, paused or ended',
      'promotions[2].starts_at: must be an RFC 3339 date-time',
      'promotions[2].duration_days: must be a positive integer',
      'promotions[2].task_limit_per_month: must be a whole number, 0 or more',
      'promotions[2].allow_reenrollment: must be true or false',
      'promotions[3].ends_at: must be after starts_at',
      'webhook_endpoints[0].url: must be an absolute URL',
      'webhook_endpoints[0].event_types: must list at least one event type',
    ]);
  });

  it('names a missing or empty variable with its object and field, beside the other problems', () => {
    const text = `${PARTNER}accounts:
  - email: jane@example.com
    password_env: JANE_PASSWORD
promotions:
  - id: p
    partner: acme-ci
    name: P
    duration_days: 0
`;
    expect(problems(text, { ACME_CLIENT_SECRET: '' })).toEqual([
      'partners[0].client_secret_env: the environment variable ACME_CLIENT_SECRET is not set',
      'accounts[0].password_env: the environment variable JANE_PASSWORD is not set',
      'promotions[0].duration_days: must be a positive integer',
    ]);
  });

  it("checks each secret's value by its variable, never printing the value", () => {
    const marker = 'SHORT-marker-Zq';
    const text = `${PARTNER}accounts:
  - email: jane@example.com
    password_env: JANE_PASSWORD
webhook_endpoints:
  - partner: acme-ci
    url: https://hooks.acme.example/promotions
    secret_env: HOOK_SECRET
`;
    const lines = problems(text, {
      ACME_CLIENT_SECRET: marker,
      JANE_PASSWORD: 'short',
      HOOK_SECRET: `whsec_${Buffer.alloc(8).toString('base64')}`,
    });
    expect(lines).toEqual([
      'partners[0].client_secret_env: ACME_CLIENT_SECRET must be 16 to 200 printable ASCII characters, without spaces',
      'accounts[0].password_env: JANE_PASSWORD must be at least 8 characters',
      'webhook_endpoints[0].secret_env: HOOK_SECRET must be whsec_ followed by the base64 of 24 to 64 random bytes (e.g. "whsec_$(openssl rand -base64 32)")',
    ]);
    expect(lines.join('\n')).not.toContain(marker);
  });

  it('points a secret written in the file at the variable field it belongs in', () => {
    const text = `partners:
  - client_id: acme-ci
    name: Acme
    client_secret: written-in-the-file
    redirect_uris: [http://127.0.0.1:4000/callback]
`;
    expect(problems(text)).toEqual([
      'partners[0].client_secret_env: is required',
      'partners[0].client_secret: secrets are never written in the file: name the environment variable that holds it in client_secret_env',
    ]);
  });

  it('refuses what spans objects: a client_id, email, promotion or endpoint declared twice', () => {
    const text = `${PARTNER}  - client_id: acme-ci
    name: Acme again
    client_secret_env: ACME_CLIENT_SECRET
    redirect_uris: [http://127.0.0.1:4000/callback]
accounts:
  - email: jane@example.com
    password_env: ACME_USER_PASSWORD
  - email: JANE@example.com
    password_env: ACME_USER_PASSWORD
promotions:
  - { id: p, partner: acme-ci, name: P }
  - { id: p, partner: acme-ci, name: P again }
webhook_endpoints:
  - { partner: acme-ci, url: "https://hooks.acme.example", secret_env: ACME_WEBHOOK_SECRET }
  - { partner: acme-ci, url: "https://hooks.acme.example/", secret_env: ACME_WEBHOOK_SECRET }
`;
    expect(problems(text)).toEqual([
      'partners[1].client_id: this client_id is already declared by partners[0]',
      'accounts[1].email: this email is already declared by accounts[0]',
      'promotions[1].id: this id is already declared by promotions[0]',
      "webhook_endpoints[1].url: this partner's URL is already declared by webhook_endpoints[0]",
    ]);
  });

  it('reports YAML syntax errors by line and column, without the text around them', () => {
    expect(problems('partners:\n  - client_id: a\n client_id: b\n')).toEqual([
      'line 3, column 1: All mapping items must start at the same column',
    ]);
    expect(problems('partners: []\npartners: []\n')).toEqual(['line 2, column 1: Map keys must be unique']);
  });

  it('refuses a file that is not a mapping', () => {
    expect(problems('- partners\n')).toEqual(['(file): must be a mapping of fields']);
    expect(problems('partners: acme\n')).toEqual(['partners: must be a list']);
  });
});

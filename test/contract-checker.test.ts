// The checker every test response goes through (test/helpers/contract.ts): what it passes and fails.
import { describe, expect, it } from 'vitest';
import { assertNoViolations, type ContractViolation, loadContract } from './helpers/contract';

const JSON_TYPE = 'application/json; charset=utf-8';
const ENROLLMENT_ID = 'promo_12345:9f6c2b1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e';

const detail = {
  enrollment_id: ENROLLMENT_ID,
  promotion_id: 'promo_12345',
  enrollment_date: '2026-04-28T10:00:00Z',
  expiration_date: '2026-07-26T23:59:59Z',
  task_limit_per_month: 5,
  tasks_used_this_month: 0,
  status: 'enrolled',
  billing_cycle_start: '2026-04-28T10:00:00Z',
  billing_cycle_end: '2026-05-28T10:00:00Z',
};

const adminPromotion = {
  id: 'spring_2026',
  partner_id: '0b8f6f7e-2a43-4c1e-9a57-3f1c2d4e5f60',
  name: 'Spring 2026',
  status: 'active',
  starts_at: '2026-04-01T00:00:00Z',
  ends_at: null,
  duration_days: 90,
  task_limit_per_month: null,
  max_enrollments: 1000,
  allow_reenrollment: false,
  enrollments_count: 3,
  created_at: '2026-03-20T09:30:00Z',
  updated_at: '2026-03-21T09:30:00Z',
};

function envelope(status: number, code: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    errors: [{ status: String(status), code, title: 'Title', detail: 'Detail', ...extra }],
  });
}

function check(method: string, url: string, status: number, body: unknown, contentType = JSON_TYPE) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return loadContract().check(method, url, status, contentType, text);
}

function problems(violations: ContractViolation[]): string {
  return violations.map((v) => v.problem).join('\n');
}

describe('contract.check', () => {
  it('passes a valid 201 enrollment', () => {
    expect(check('POST', '/v2/promotions', 201, { enrollment_id: ENROLLMENT_ID })).toEqual([]);
  });

  it('fails a 201 body missing enrollment_id', () => {
    const violations = check('POST', '/v2/promotions', 201, { id: ENROLLMENT_ID });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ method: 'POST', url: '/v2/promotions', status: 201 });
    expect(violations[0]?.problem).toContain("required property 'enrollment_id'");
  });

  it('fails an undocumented status', () => {
    const violations = check('POST', '/v2/promotions', 418, envelope(418, 'teapot'));
    expect(violations).toHaveLength(1);
    expect(violations[0]?.problem).toMatch(/status 418 is not documented for root_create/);
  });

  it('has no `default` fallback: 422 is documented for POST but not for GET', () => {
    expect(check('POST', '/v2/promotions', 422, envelope(422, 'idempotency_key_reused'))).toEqual([]);
    expect(problems(check('GET', `/v2/promotions/${ENROLLMENT_ID}`, 422, envelope(422, 'x')))).toMatch(
      /status 422 is not documented/,
    );
  });

  it('fails a 204 with a body and passes an empty one', () => {
    const url = `/v2/promotions/${ENROLLMENT_ID}`;
    expect(check('DELETE', url, 204, '', '')).toEqual([]);
    expect(loadContract().check('DELETE', url, 204, undefined, '')).toEqual([]);
    expect(problems(check('DELETE', url, 204, { ok: true }))).toMatch(/without a body/);
  });

  it('passes a valid PromotionDetail, with and without the additive properties', () => {
    const url = `/v2/promotions/${encodeURIComponent(ENROLLMENT_ID)}?x=1`;
    expect(check('GET', url, 200, detail)).toEqual([]);
    const { enrollment_id, billing_cycle_start, billing_cycle_end, ...zapierOnly } = detail;
    expect(check('GET', url, 200, { ...zapierOnly, status: 'expired', expiration_date: null })).toEqual([]);
  });

  it('fails a PromotionDetail whose status is outside the enum', () => {
    const violations = check('GET', `/v2/promotions/${ENROLLMENT_ID}`, 200, {
      ...detail,
      status: 'unenrolled',
    });
    expect(violations).toHaveLength(1);
    expect(violations[0]?.problem).toMatch(/body\/status must be one of "enrolled", "expired"/);
  });

  it('fails billing cycle bounds that are not whole-second UTC', () => {
    const body = { ...detail, billing_cycle_end: '2026-05-28T10:00:00.000+00:00' };
    expect(problems(check('GET', `/v2/promotions/${ENROLLMENT_ID}`, 200, body))).toMatch(/billing_cycle_end/);
  });

  it('fails an error envelope missing title', () => {
    const body = { errors: [{ status: '404', code: 'enrollment_not_found', detail: 'Not found.' }] };
    const violations = check('GET', `/v2/promotions/${ENROLLMENT_ID}`, 404, body);
    expect(violations).toHaveLength(1);
    expect(violations[0]?.problem).toContain("body/errors/0 must have required property 'title'");
  });

  it('passes a valid envelope with a source, and fails one whose status disagrees', () => {
    const ok = envelope(400, 'invalid_request', { source: { pointer: '/promotion_id' } });
    expect(check('POST', '/v2/promotions', 400, ok)).toEqual([]);
    expect(problems(check('POST', '/v2/promotions', 409, envelope(400, 'already_enrolled')))).toMatch(
      /errors\/0\/status is "400" but the response status is 409/,
    );
  });

  it('fails a body that is not JSON, or has an undocumented content type', () => {
    expect(problems(check('POST', '/v2/promotions', 201, '{"enrollment_id":'))).toMatch(/not valid JSON/);
    expect(problems(check('POST', '/v2/promotions', 201, '<html></html>', 'text/html'))).toMatch(
      /Content-Type text\/html is not documented/,
    );
    expect(problems(check('POST', '/v2/promotions', 201, ''))).toMatch(/but it is empty/);
  });

  it('maps HEAD to GET and does not check its (empty) body', () => {
    expect(check('HEAD', `/v2/promotions/${ENROLLMENT_ID}`, 200, '')).toEqual([]);
    expect(check('HEAD', `/v2/promotions/${ENROLLMENT_ID}`, 418, '')).toHaveLength(1);
  });

  it('matches absolute URLs and strips the query string', () => {
    expect(check('POST', 'http://127.0.0.1:3000/v2/promotions?a=b', 201, { enrollment_id: 'x:y' })).toEqual(
      [],
    );
  });

  it('fails an undocumented method or path under a checked prefix, ignores other paths', () => {
    expect(problems(check('PUT', `/v2/promotions/${ENROLLMENT_ID}`, 200, {}))).toMatch(
      /PUT \/v2\/promotions\/\{enrollment_id\} is not documented \(documented: GET, DELETE\)/,
    );
    expect(problems(check('GET', '/admin/v1/secret', 200, {}))).toMatch(/not documented/);
    expect(check('GET', '/docs', 200, '<html></html>', 'text/html')).toEqual([]);
    expect(check('GET', '/favicon.ico', 200, 'x', 'image/x-icon')).toEqual([]);
  });

  it('accepts the error envelope as the answer to an unknown route, and only the envelope', () => {
    expect(check('GET', '/v2/nope', 404, envelope(404, 'not_found'))).toEqual([]);
    expect(check('PUT', '/v2/promotions', 404, envelope(404, 'not_found'))).toEqual([]);
    expect(problems(check('GET', '/v2/nope', 404, 'Not Found', 'text/plain'))).toMatch(
      /expected a JSON body/,
    );
    expect(problems(check('GET', '/v2/nope', 404, { message: 'Route not found' }))).toMatch(
      /required property 'errors'/,
    );
  });

  it('passes a valid admin Promotion and list page, fails a wrong one', () => {
    expect(check('GET', '/admin/v1/promotions/spring_2026', 200, adminPromotion)).toEqual([]);
    expect(check('POST', '/admin/v1/promotions', 201, adminPromotion)).toEqual([]);
    expect(
      check('GET', '/admin/v1/promotions?limit=10', 200, { data: [adminPromotion], next_cursor: null }),
    ).toEqual([]);
    expect(
      problems(check('GET', '/admin/v1/promotions/spring_2026', 200, { ...adminPromotion, status: 'on' })),
    ).toMatch(/body\/status must be one of "active", "paused", "ended"/);
    expect(
      problems(
        check('PATCH', '/admin/v1/promotions/spring_2026', 200, { ...adminPromotion, duration_days: 0 }),
      ),
    ).toMatch(/body\/duration_days must be >= 1/);
  });

  it('checks the admin, OAuth and ops surfaces too', () => {
    const partner = {
      id: '0b8f6f7e-2a43-4c1e-9a57-3f1c2d4e5f60',
      name: 'Acme',
      client_id: 'pc_1',
      redirect_uris: ['https://app.example/cb'],
      scopes: ['promotions:read', 'promotions:write'],
      sandbox: false,
      status: 'enabled',
      created_at: '2026-04-28T10:00:00Z',
    };
    expect(check('POST', '/admin/v1/partners', 201, { ...partner, client_secret: 's' })).toEqual([]);
    expect(problems(check('POST', '/admin/v1/partners', 201, partner))).toMatch(/client_secret/);
    expect(check('GET', `/admin/v1/partners/${partner.id}`, 200, partner)).toEqual([]);
    expect(check('POST', '/admin/v1/accounts', 503, envelope(503, 'admin_disabled'))).toEqual([]);
    const token = { access_token: 'a', token_type: 'Bearer', expires_in: 3600, scope: 'promotions:write' };
    expect(check('POST', '/oauth/token', 200, token)).toEqual([]);
    expect(check('POST', '/admin/v1/tokens', 201, token)).toEqual([]);
    expect(check('POST', '/oauth/token', 401, { error: 'invalid_client' })).toEqual([]);
    expect(problems(check('POST', '/oauth/token', 400, { error: 'server_error' }))).toMatch(/body\/error/);
    expect(check('POST', '/oauth/revoke', 200, {})).toEqual([]);
    expect(check('POST', '/oauth/introspect', 200, { active: false })).toEqual([]);
    expect(
      check('GET', '/oauth/authorize?client_id=x', 200, '<html></html>', 'text/html; charset=utf-8'),
    ).toEqual([]);
    expect(check('POST', '/v2/authorize', 303, '', '')).toEqual([]);
    expect(problems(check('POST', '/v2/authorize', 302, '', ''))).toMatch(/status 302 is not documented/);
    expect(check('GET', '/healthz', 200, { status: 'ok', version: '0.1.0', build: null })).toEqual([]);
    expect(check('GET', '/readyz', 503, envelope(503, 'service_unavailable'))).toEqual([]);
    expect(check('GET', '/metrics', 200, 'http_requests_total 1\n', 'text/plain; version=0.0.4')).toEqual([]);
  });
});

describe('assertNoViolations', () => {
  it('passes on none and throws listing every violation', () => {
    expect(() => assertNoViolations([])).not.toThrow();
    const violations = [
      ...check('POST', '/v2/promotions', 201, {}),
      ...check('DELETE', `/v2/promotions/${ENROLLMENT_ID}`, 204, '{}'),
    ];
    expect(() => assertNoViolations(violations)).toThrow(
      /2 contract violation\(s\):\n {2}- POST \/v2\/promotions → 201: .*enrollment_id.*\n {2}- DELETE .* → 204: /,
    );
  });
});

// CONTRACT §11: the operators' console in a real browser (chromium via playwright-core, see
// helpers/browser.ts), under its own strict CSP: an owner signs in, creates a promotion and
// sees its enrollments plotted, finds an enrollment by email, redelivers a failed webhook
// delivery, advances a test clock, reads the audit log, adds a viewer operator and a key; the
// viewer sees the edit controls disabled and is refused a forced edit. Every page passes
// axe-core with no serious or critical violation, and is saved under test-artifacts/
// (UPDATE_SCREENSHOTS=1 also refreshes the two the README shows, in docs/).
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { OPERATOR_PASSWORD } from '../admin/operator-helpers.js';
import { bearer, type PartnerFixture, useTestApp } from '../helpers/app.js';
import { launchBrowser } from '../helpers/browser.js';
import { requestsFor } from '../helpers/requests.js';
import { type Receiver, startReceiver } from '../webhooks/receiver.js';

const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts');
const DOCS = join(PROJECT_ROOT, 'docs');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  passes: unknown[];
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

const ctx = useTestApp({ now: '2026-04-28T10:00:00Z' });
let browser: Browser;
let base: string;
let receiver: Receiver;
let partner: PartnerFixture;
let sandbox: PartnerFixture;
const owner = { email: 'owner@example.com' };
const viewer = { email: 'viewer@example.com', password: 'viewer passphrase 12' };
/** CSP reports and script errors of every page, which must stay empty. */
const problems: string[] = [];
const checked: string[] = [];

beforeAll(async () => {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const address = ctx.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  receiver = await startReceiver();
  partner = await ctx.fixtures.partner({ name: 'Acme Automations' });
  sandbox = await ctx.fixtures.partner({ name: 'Sandbox Labs', sandbox: true });
  await ctx.app.operatorService.createOperator({
    email: owner.email,
    password: OPERATOR_PASSWORD,
    role: 'owner',
  });
  browser = await launchBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await receiver?.close();
});

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
  return page;
}

/** axe-core on the page as it is: no serious or critical violation; then a screenshot. */
async function check(page: Page, name: string) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const result = (await page.evaluate('axe.run(document)')) as AxeResult;
  expect(result.passes.length, 'axe ran its checks').toBeGreaterThan(10);
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
  expect(serious, `${name} ${page.url()}`).toEqual([]);
  await page.screenshot({ path: join(ARTIFACTS, `console-${name}.png`), fullPage: true });
  checked.push(name);
}

async function signIn(page: Page, email: string, password: string) {
  const response = await page.goto(`${base}/console`);
  expect(response?.status()).toBe(200);
  expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL(`${base}/console/promotions`),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

describe('the console in Chromium', { timeout: 240_000 }, () => {
  let context: BrowserContext;
  let page: Page;
  let enrollmentId: string;
  let accountEmail: string;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await newPage(context);
  });
  afterAll(async () => context?.close());

  it('signs in with a session cookie that scripts cannot read', async () => {
    await page.goto(`${base}/console/sign-in`);
    await check(page, 'sign-in');
    await signIn(page, owner.email, OPERATOR_PASSWORD);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'console_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console', secure: false });
    expect(await page.evaluate('document.cookie')).toBe('');
    await expect(page.locator('.empty-title').textContent()).resolves.toBe('No promotions yet');
    await check(page, 'promotions-empty');
  });

  it('creates a promotion through the form', async () => {
    await page.getByRole('link', { name: 'New promotion' }).click();
    await page.waitForURL(`${base}/console/promotions/new`);
    await check(page, 'promotion-new');
    await page.getByLabel('Id', { exact: true }).fill('spring_2026');
    await page.getByLabel('Partner').selectOption({ label: 'Acme Automations' });
    await page.getByLabel('Name').fill('Spring 2026: 10 sponsored tasks a month');
    await page.getByLabel('Duration (days)').fill('90');
    await page.getByLabel('Task limit per month').fill('10');
    await page.getByLabel('Maximum enrollments').fill('5');
    await Promise.all([
      page.waitForURL(`${base}/console/promotions/spring_2026?notice=created`),
      page.getByRole('button', { name: 'Create promotion' }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Spring 2026: 10 sponsored tasks a month');
    await expect(page.locator('.notice').textContent()).resolves.toBe('Created.');
    await expect(page.locator('.card .budget-text').textContent()).resolves.toBe('0 of 5 (0%)');
  });

  it('plots the enrollments per day and the tasks per billing cycle', async () => {
    // A receiver that fails the first delivery of each event, so the log has one to redeliver.
    const endpointUrl = receiver.newUrl();
    receiver.script(endpointUrl, 500, 500, 500);
    await ctx.app.webhookService.create(partner.id, {
      url: endpointUrl,
      event_types: ['enrollment.created'],
    });
    const requests = requestsFor(ctx, () => partner);
    ctx.clock.set('2026-04-26T09:00:00Z');
    const first = await requests.enrollNew('spring_2026');
    ctx.clock.set('2026-04-28T10:00:00Z');
    await requests.enrollNew('spring_2026');
    const third = await requests.enrollNew('spring_2026');
    enrollmentId = third.enrollmentId;
    accountEmail = (await ctx.app.accountsRepository.findById(third.accountId))!.email;
    expect((await requests.usage(first.enrollmentId, { tasks: 4 })).statusCode).toBe(200);
    expect(
      (await requests.usage(third.enrollmentId, { tasks: 3, idempotency_key: 'run-1' })).statusCode,
    ).toBe(200);
    await ctx.app.webhookDispatcher.runOnce();

    await page.reload();
    await expect(page.locator('.card .budget-text').textContent()).resolves.toBe('3 of 5 (60%)');
    const perDay = page.locator('#enrollments-per-day rect.bar');
    await expect(perDay.count()).resolves.toBe(30);
    const drawn = await perDay.evaluateAll((bars) =>
      bars
        .map((b) => ({ label: b.getAttribute('data-label'), value: Number(b.getAttribute('data-value')) }))
        .filter((b) => b.value > 0),
    );
    expect(drawn).toEqual([
      { label: '04-26', value: 1 },
      { label: '04-28', value: 2 },
    ]);
    await expect(page.locator('#enrollments-per-day title').first().textContent()).resolves.toBe(
      'Enrollments per day, last 30 days (UTC)',
    );
    const perCycle = await page
      .locator('#tasks-per-cycle rect.bar')
      .evaluateAll((bars) => bars.map((b) => [b.getAttribute('data-label'), b.getAttribute('data-value')]));
    expect(perCycle).toEqual([['Cycle 1', '7']]);
    await check(page, 'promotion');
    // Three more, straight into the store (no audit entries), so the list shows each state.
    const now = ctx.clock.now();
    const more = [
      {
        id: 'autumn_2026',
        name: 'Autumn 2026 launch',
        status: 'active' as const,
        maxEnrollments: 1000,
        enrollmentsCount: 812,
        startsAt: new Date('2026-04-01T00:00:00Z'),
        endsAt: new Date('2026-10-01T00:00:00Z'),
      },
      {
        id: 'beta_partners',
        name: 'Beta partners',
        status: 'paused' as const,
        maxEnrollments: null,
        enrollmentsCount: 0,
      },
      {
        id: 'winter_2025',
        name: 'Winter 2025',
        status: 'ended' as const,
        maxEnrollments: 500,
        enrollmentsCount: 500,
        endsAt: new Date('2026-03-01T00:00:00Z'),
      },
    ];
    for (const p of more) {
      await ctx.app.promotionsRepository.insert({
        partnerId: partner.id,
        durationDays: 90,
        taskLimitPerMonth: 100,
        createdAt: now,
        updatedAt: now,
        ...p,
      });
    }
    await page.goto(`${base}/console/promotions`);
    await expect(page.locator('#promotions tbody tr').count()).resolves.toBe(4);
    await expect(page.locator('#promotions .budget-text').allTextContents()).resolves.toEqual([
      '812 of 1,000 (81%)',
      '0 enrolled · no limit',
      '3 of 5 (60%)',
      '500 of 500 (100%)',
    ]);
    await check(page, 'promotions');
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      copyFileSync(join(ARTIFACTS, 'console-promotions.png'), join(DOCS, 'console-promotions.png'));
      copyFileSync(join(ARTIFACTS, 'console-promotion.png'), join(DOCS, 'console-promotion.png'));
    }
  });

  it('finds an enrollment by its account’s email (htmx swaps the results) and shows its ledger and events', async () => {
    await page.getByRole('link', { name: 'Enrollments' }).click();
    await check(page, 'enrollments');
    const swaps: string[] = [];
    page.on('request', (r) => {
      if (r.headers()['hx-request'] === 'true') swaps.push(new URL(r.url()).pathname);
    });
    await page.getByLabel('Enrollment id or account email').fill(accountEmail);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(`${base}/console/enrollments?q=${encodeURIComponent(accountEmail)}`);
    await expect(page.locator('#enrollment-results tbody tr').count()).resolves.toBe(1);
    expect(swaps).toEqual(['/console/enrollments']);
    await check(page, 'enrollment-search');
    await page.locator('#enrollment-results tbody a').first().click();
    await page.waitForURL(`${base}/console/enrollments/${encodeURIComponent(enrollmentId)}`);
    await expect(page.locator('#usage-ledger tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('#usage-ledger tbody td').nth(4).textContent()).resolves.toBe('run-1');
    const events = await page.locator('#enrollment-events tbody .badge').allTextContents();
    expect(events).toEqual(['enrolled', 'usage_recorded']);
    await check(page, 'enrollment');

    // By its id: htmx is told to navigate (HX-Redirect) instead of swapping a redirect's page.
    await page.goto(`${base}/console/enrollments`);
    await page.getByLabel('Enrollment id or account email').fill(enrollmentId);
    await Promise.all([
      page.waitForURL(`${base}/console/enrollments/${encodeURIComponent(enrollmentId)}`),
      page.getByRole('button', { name: 'Search' }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Enrollment');
  });

  it('finds an account by its email and shows its enrollments, entitlement and an enrollment’s ledger', async () => {
    await page.getByRole('link', { name: 'Accounts' }).click();
    await page.waitForURL(`${base}/console/accounts`);
    await check(page, 'accounts');
    await page.getByLabel('Account email or external id').fill(accountEmail);
    // htmx is told to navigate (HX-Redirect) to the account's page.
    await Promise.all([
      page.waitForURL(new RegExp(`^${base}/console/accounts/[0-9a-f-]{36}$`)),
      page.getByRole('button', { name: 'Search' }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Account');
    await expect(page.locator('#account-enrollments tbody tr').count()).resolves.toBe(1);
    await page.locator('#account-enrollments tbody a', { hasText: 'Usage ledger' }).click();
    await page.waitForURL(/\?ledger=/);
    await expect(page.locator('#usage-ledger tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('#usage-ledger tbody td').nth(5).textContent()).resolves.toBe('run-1');
    await check(page, 'account');
  });

  it('shows a failed webhook delivery and redelivers it', async () => {
    await page.goto(`${base}/console/partners`);
    await check(page, 'partners');
    await page.getByRole('link', { name: 'Acme Automations' }).click();
    await check(page, 'partner');
    await page.locator('#webhook-endpoints tbody a').first().click();
    const failedRow = page.locator('#deliveries tbody tr', { hasText: 'HTTP 500' }).first();
    await expect(page.locator('#deliveries tbody tr').count()).resolves.toBe(3);
    await check(page, 'webhook-endpoint');
    const eventId = (await failedRow.locator('td code').first().textContent())!;
    await Promise.all([
      page.waitForURL(/notice=redelivered$/),
      failedRow.getByRole('button', { name: 'Redeliver' }).click(),
    ]);
    await expect(page.locator('.notice').textContent()).resolves.toContain('Redelivery queued');
    await ctx.app.webhookDispatcher.runOnce();
    await page.reload();
    // The first delivery waits for its retry; the redelivery succeeded.
    const again = page.locator('#deliveries tbody tr', { hasText: eventId });
    const statuses = await again.evaluateAll((rows) =>
      rows.map((r) => r.querySelector('.badge')?.textContent),
    );
    expect(statuses.sort()).toEqual(['pending', 'succeeded']);
    await expect(page.locator('#deliveries tbody tr', { hasText: 'HTTP 200' }).count()).resolves.toBe(1);
    expect(receiver.received.filter((r) => r.id === eventId).map((r) => r.answered)).toEqual([500, 200]);
  });

  it('advances a sandbox partner’s test clock', async () => {
    const clock = await ctx.app.testClockService.create(sandbox.id, {
      frozenTime: new Date('2026-01-31T10:00:00Z'),
      name: 'CI clock',
    });
    await page.goto(`${base}/console/partners/${sandbox.id}`);
    await page.getByRole('link', { name: 'Test clocks of Sandbox Labs' }).click();
    await check(page, 'test-clocks');
    await page.getByRole('link', { name: 'CI clock' }).click();
    await page.getByLabel('New time (UTC)').fill('2026-02-28T10:00:00');
    await Promise.all([
      page.waitForURL(/notice=advanced$/),
      page.getByRole('button', { name: 'Advance clock' }).click(),
    ]);
    await expect(page.locator('dl.details time').first().getAttribute('datetime')).resolves.toBe(
      '2026-02-28T10:00:00Z',
    );
    await check(page, 'test-clock');
    expect((await ctx.app.testClockService.get(sandbox.id, clock.id)).frozen_time.toISOString()).toBe(
      '2026-02-28T10:00:00.000Z',
    );
  });

  it('adds a viewer operator and a key, and shows every change in the audit log', async () => {
    await page.getByRole('link', { name: 'Operators' }).click();
    await page.getByLabel('Email', { exact: true }).fill(viewer.email);
    await page.getByLabel('Password', { exact: true }).fill(viewer.password);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await Promise.all([
      page.waitForURL(/\/console\/operators\/[0-9a-f-]{36}\?notice=created$/),
      page.getByRole('button', { name: 'Add operator' }).click(),
    ]);
    await page.getByLabel('Name').fill('dashboard');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect(page.locator('#new-key').textContent()).resolves.toMatch(
      /^adk_[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/,
    );
    await check(page, 'operator');
    await page.goto(`${base}/console/operators`);
    await check(page, 'operators');

    await page.getByRole('link', { name: 'Audit log' }).click();
    // The filters swap the table in place (htmx) and push the URL.
    await page.getByLabel('Action', { exact: true }).fill('promotion.created');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/\/console\/audit-log\?.*action=promotion.created/);
    await expect(page.locator('#audit-entries tbody tr').count()).resolves.toBe(1);
    await page.getByRole('link', { name: 'Clear filters' }).click();
    await page.waitForURL(`${base}/console/audit-log`);
    const rows = page.locator('#audit-entries tbody tr');
    const actions = await page.locator('#audit-entries tbody .badge').allTextContents();
    // Newest first; the usage came through the admin API with ADMIN_TOKEN, the rest from here.
    expect(actions).toEqual([
      'api_key.created',
      'operator.created',
      'test_clock.advanced',
      'event.redelivered',
      'usage.recorded',
      'usage.recorded',
      'promotion.created',
    ]);
    await expect(rows.nth(4).locator('td').nth(1).textContent()).resolves.toBe('ADMIN_TOKENAPI');
    await expect(rows.last().locator('td').nth(1).textContent()).resolves.toBe(`${owner.email}console`);
    await check(page, 'audit-log');
  });

  it('lets a viewer read but not edit: the controls are disabled, a forced post is refused', async () => {
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const v = await newPage(viewerContext);
      await signIn(v, viewer.email, viewer.password);
      await v.goto(`${base}/console/promotions/spring_2026`);
      await expect(v.locator('#promotion-form fieldset').getAttribute('disabled')).resolves.toBe('');
      await expect(v.getByRole('button', { name: 'Save changes' }).isDisabled()).resolves.toBe(true);
      await expect(v.getByRole('button', { name: 'Pause' }).isDisabled()).resolves.toBe(true);
      await expect(v.locator('#promotion-form .role-note').textContent()).resolves.toBe(
        'Needs the editor role; you are a viewer.',
      );
      await expect(v.getByRole('link', { name: 'Operators' }).count()).resolves.toBe(0);
      // The browser would never send it; a hand-made post (enabled in devtools) still fails.
      await v.locator('#promotion-form fieldset').evaluate((f) => f.removeAttribute('disabled'));
      await v.getByLabel('Name').fill('Renamed by a viewer');
      const [response] = await Promise.all([
        v.waitForResponse((r) => r.request().method() === 'POST'),
        v.getByRole('button', { name: 'Save changes' }).click(),
      ]);
      expect(response.status()).toBe(403);
      await expect(v.locator('h1').textContent()).resolves.toBe('Permission denied');
      await expect(v.locator('.problem p').first().textContent()).resolves.toBe(
        'This action needs the editor role; the caller has the viewer role. Ask an owner to change your role.',
      );
      await check(v, 'viewer-refused');
      const promotion = await ctx.admin({
        method: 'GET',
        url: '/admin/v1/promotions/spring_2026',
        headers: bearer(''),
      });
      expect(promotion.statusCode).toBe(401);
      expect((await ctx.app.promotionsRepository.findById('spring_2026'))?.name).toBe(
        'Spring 2026: 10 sponsored tasks a month',
      );
      const owners = await v.goto(`${base}/console/operators`);
      expect(owners?.status()).toBe(403);
    } finally {
      await viewerContext.close();
    }
  });

  it('ran under its CSP without a violation or a script error, and checked every page', () => {
    expect(problems).toEqual([]);
    expect(checked).toHaveLength(19);
  });
});

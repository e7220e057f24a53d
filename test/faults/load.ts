// The load the network fault tests put on the server, and what they hold its answers to:
// enroll, usage and read calls in turn from a few paced workers; the documented success or a 503
// with Retry-After; nothing lost and nothing applied twice (the database's counts, then every 503
// retried as a client does); every new enrollment's webhook delivered.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { sleep } from '../helpers/processes.js';

/** The server under test and what the test file's beforeAll prepared on it. */
export interface Target {
  /** The server's origin. */
  base: string;
  /** Its database, reached directly (not through the relay). */
  dbUrl: string;
  adminToken: string;
  promotionId: string;
  appToken: string;
  /** Accounts with a user token, each enrolled at most once. */
  users: Array<{ accountId: string; token: string }>;
  /** Enrollments the usage calls and reads go to. */
  usageTargets: string[];
  /** The bodies the webhook receiver got. */
  received: string[];
}

export type Kind = 'enroll' | 'usage' | 'read';
export interface Outcome {
  kind: Kind;
  /** The account (enroll) or the usage idempotency key. */
  ref: string;
  key: string;
  token?: string;
  target?: string;
  status: number | 'no-answer';
  retryAfter: string | null;
  rateLimitHeaders: boolean;
  sentAt: number;
  ms: number;
  body: Record<string, unknown>;
}

const OK: Record<Kind, number> = { enroll: 201, usage: 200, read: 200 };
export const is2xx = (o: Outcome) => o.status === OK[o.kind];
export const is503 = (o: Outcome) => o.status === 503;

/** The load's requests and checks against `t`. */
export function loadOn(t: Target) {
  async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = [], url = t.dbUrl) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  async function admin(method: string, path: string, body?: unknown) {
    const res = await fetch(`${t.base}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, string>;
  }

  async function request(
    kind: Kind,
    url: string,
    init: RequestInit,
    meta: { ref: string; key: string; token?: string; target?: string },
  ): Promise<Outcome> {
    const sentAt = Date.now();
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
      const text = await res.text();
      return {
        kind,
        ...meta,
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        rateLimitHeaders: res.headers.has('x-ratelimit-limit') && res.headers.has('x-ratelimit-remaining'),
        sentAt,
        ms: Date.now() - sentAt,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    } catch {
      return {
        kind,
        ...meta,
        status: 'no-answer',
        retryAfter: null,
        rateLimitHeaders: false,
        sentAt,
        ms: Date.now() - sentAt,
        body: {},
      };
    }
  }

  const enroll = (user: { accountId: string; token: string }, key: string = randomUUID()) =>
    request(
      'enroll',
      `${t.base}/v2/promotions`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${user.token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify({ promotion_id: t.promotionId }),
      },
      { ref: user.accountId, key, token: user.token },
    );

  const useTasks = (target: string, key: string = randomUUID()) =>
    request(
      'usage',
      `${t.base}/admin/v1/enrollments/${encodeURIComponent(target)}/usage`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tasks: 1, idempotency_key: key }),
      },
      { ref: key, key, target },
    );

  const read = (target: string) =>
    request(
      'read',
      `${t.base}/v2/promotions/${encodeURIComponent(target)}`,
      { headers: { authorization: `Bearer ${t.appToken}` } },
      { ref: target, key: '' },
    );

  let nextUser = 0;
  /** The next prepared account, not enrolled yet. */
  function takeUser() {
    const user = t.users[nextUser++];
    if (!user) throw new Error('out of prepared accounts');
    return user;
  }

  /** Each worker's pause between two requests: the load is bounded (≤ 5 requests/s per worker). */
  const PACE_MS = 200;
  /** `workers` loops of enroll, usage, read in turn until `until()`: a bounded load. */
  async function load(workers: number, until: () => boolean): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    let turn = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (!until()) {
          const turnNo = turn++;
          // Consecutive usage calls go to different enrollments, so they do not queue on one counter's lock.
          const target = t.usageTargets[Math.floor(turnNo / 3) % t.usageTargets.length]!;
          const kind = (['enroll', 'usage', 'read'] as const)[turnNo % 3]!;
          if (kind === 'enroll') {
            outcomes.push(await enroll(takeUser()));
          } else if (kind === 'usage') {
            outcomes.push(await useTasks(target));
          } else {
            outcomes.push(await read(target));
          }
          await sleep(PACE_MS);
        }
      }),
    );
    return outcomes;
  }

  /** What the database holds for these outcomes' enrollments and usage keys. */
  async function databaseCounts(outcomes: Outcome[]) {
    const accounts = outcomes.filter((o) => o.kind === 'enroll').map((o) => o.ref);
    const keys = outcomes.filter((o) => o.kind === 'usage').map((o) => o.key);
    const [enrolled] = await sql<{ n: string; accounts: string }>(
      'select count(*) as n, count(distinct account_id) as accounts from enrollments where promotion_id = $1 and account_id = any($2::uuid[])',
      [t.promotionId, accounts],
    );
    const [usage] = await sql<{ n: string; keys: string; tasks: string | null }>(
      'select count(*) as n, count(distinct idempotency_key) as keys, sum(tasks_accepted) as tasks from usage_ledger where idempotency_key = any($1::text[])',
      [keys],
    );
    return {
      enrollments: Number(enrolled!.n),
      enrolledAccounts: Number(enrolled!.accounts),
      usageRows: Number(usage!.n),
      usageKeys: Number(usage!.keys),
      usageTasks: Number(usage!.tasks ?? 0),
    };
  }

  /** sent / 2xx / 503 per kind, and the database's own counts, as one line for the run's log. */
  function report(name: string, outcomes: Outcome[], db: Awaited<ReturnType<typeof databaseCounts>>) {
    const pct = (of: Outcome[], p: number) => {
      const ms = of.map((o) => o.ms).sort((a, b) => a - b);
      return ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? 0;
    };
    const per = (kind: Kind) => {
      const of = outcomes.filter((o) => o.kind === kind);
      return `${kind} ${of.length} sent, ${of.filter(is2xx).length} × 2xx, ${of.filter(is503).length} × 503 (p50 ${pct(of, 50)} ms, p99 ${pct(of, 99)} ms)`;
    };
    process.stdout.write(
      `faults: ${name}: ${per('enroll')}; ${per('usage')}; ${per('read')}; all p99 ${pct(outcomes, 99)} ms, max ${pct(outcomes, 100)} ms; database: ${db.enrollments} enrollments, ${db.usageRows} usage rows (${db.usageTasks} tasks)\n`,
    );
  }

  /** Every outcome is the documented success or a 503 with Retry-After; nothing else. */
  function expectOnly2xxOr503(outcomes: Outcome[]) {
    const other = outcomes.filter((o) => !is2xx(o) && !is503(o));
    expect(other.map((o) => `${o.kind} ${o.status} ${JSON.stringify(o.body)}`)).toEqual([]);
    for (const o of outcomes.filter(is503)) {
      expect(o.retryAfter).toMatch(/^\d+$/);
      expect((o.body.errors as Array<{ code: string }>)[0]!.code).toBe('service_unavailable');
    }
  }

  /**
   * Nothing lost, nothing applied twice: every 2xx is in the database; the database holds no
   * more than the 2xx plus the 503s (a 503 may be a commit whose answer was lost: an in-doubt
   * change, logged); then every 503 retried as a client does (same Idempotency-Key, same usage
   * key) succeeds, and each enrollment and each usage key exists exactly once.
   */
  async function expectNothingLostNothingTwice(outcomes: Outcome[], landedAfter503 = 0) {
    const enrolls = outcomes.filter((o) => o.kind === 'enroll');
    const usage = outcomes.filter((o) => o.kind === 'usage');
    const before = await databaseCounts(outcomes);
    expect(before.enrollments).toBe(before.enrolledAccounts);
    expect(before.usageRows).toBe(before.usageKeys);
    // The database's own count agrees with the answers: the 2xx, plus the in-doubt commits
    // the server logged as landed after answering 503.
    expect(before.enrollments).toBe(enrolls.filter(is2xx).length + landedAfter503);
    expect(before.usageRows).toBeGreaterThanOrEqual(usage.filter(is2xx).length);
    expect(before.usageRows).toBeLessThanOrEqual(usage.filter(is2xx).length + usage.filter(is503).length);
    expect(before.usageTasks).toBe(before.usageRows);

    for (const o of outcomes.filter((x) => !is2xx(x) && x.kind !== 'read')) {
      let retry: Outcome;
      // A key still held by the failed attempt answers 409 idempotency_key_in_use until its
      // claim lapses: retried, as documented.
      for (let i = 0; ; i++) {
        retry =
          o.kind === 'enroll'
            ? await enroll({ accountId: o.ref, token: o.token! }, o.key)
            : await useTasks(o.target!, o.key);
        if (retry.status !== 409 || i > 30) break;
        await sleep(1_500);
      }
      expect(`${o.kind} ${retry.status}`).toBe(`${o.kind} ${OK[o.kind]}`);
    }
    const after = await databaseCounts(outcomes);
    expect(after.enrollments).toBe(enrolls.length);
    expect(after.enrolledAccounts).toBe(enrolls.length);
    expect(after.usageRows).toBe(usage.length);
    expect(after.usageKeys).toBe(usage.length);
    expect(after.usageTasks).toBe(usage.length);
    return before;
  }

  /** Every enrollment these outcomes made reached the webhook receiver, within `ms`. */
  async function expectWebhooksDelivered(outcomes: Outcome[], ms = 30_000) {
    const accounts = outcomes.filter((o) => o.kind === 'enroll').map((o) => o.ref);
    const rows = await sql<{ id: string }>(
      'select id from enrollments where promotion_id = $1 and account_id = any($2::uuid[])',
      [t.promotionId, accounts],
    );
    const until = Date.now() + ms;
    let missing = rows.map((r) => r.id);
    while (missing.length > 0 && Date.now() < until) {
      const all = t.received.join('\n');
      missing = missing.filter((id) => !all.includes(id));
      if (missing.length > 0) await sleep(250);
    }
    expect(missing).toEqual([]);
  }

  return {
    sql,
    admin,
    enroll,
    takeUser,
    load,
    report,
    expectOnly2xxOr503,
    expectNothingLostNothingTwice,
    expectWebhooksDelivered,
  };
}

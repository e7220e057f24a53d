import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createPartnersRepository } from '../src/auth/partners-repository.js';
import { hashSecret, randomId } from '../src/auth/secrets.js';
import { createTokenRepository } from '../src/auth/token-repository.js';
import { createTokenService, mintOpaque } from '../src/auth/token-service.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { migrateDatabase, openPostgres } from '../src/db/client.js';
import { createPromotionsRepository } from '../src/promotions/repository.js';

export const PROMOTION_ID = 'bench_promo';
/** CONTRACT §12's bench promotions: one limited (100 tasks a month, 90 days), one unlimited. */
export const METERED_LIMITED = 'bench_metered_limited';
export const METERED_OPEN = 'bench_metered_open';
export const SCOPES = ['promotions:read', 'promotions:write'] as const;
const SCOPES_SQL = '{promotions:read,promotions:write}';
// Seeded tokens outlive any run; the server's own TTL applies only to what it issues.
const TOKEN_TTL = "interval '2 days'";
const BATCH = 10_000;
// Seeded enrollments began three days ago (whole seconds, as the API stores them), so they are
// in their first billing cycle and their usage counters are the current ones.
const ENROLLED_AT = new Date(Math.floor(Date.now() / 1000) * 1000 - 3 * 86_400_000);

/** Deterministic ids, so pgbench scripts and the baseline can name seeded rows without a lookup. */
export const uuidSql = (pool: string, g: string) => `md5('${pool}-' || ${g})::uuid`;

/** The same id as `uuidSql(pool, g)` computes in the database. */
export function poolUuid(pool: string, g: number): string {
  const hex = createHash('md5').update(`${pool}-${g}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** 1..n */
export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

export interface Partner {
  id: string;
  clientId: string;
  clientSecret: string;
  appToken: string;
}

export interface GetItem {
  enrollmentId: string;
  token: string;
}

/** Recreates the database and returns a client on it. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

/** Migrates with the project's migrator, then seeds partners and the promotion through the repositories. */
export async function seedCore(url: string, partnerCount: number): Promise<Partner[]> {
  const database = await openPostgres({ url, poolMax: 4 });
  try {
    await migrateDatabase(database, url);
    const config = loadConfig({ DATABASE_URL: url, ACCESS_TOKEN_TTL_SECONDS: String(2 * 86_400) });
    const services = {
      partners: createPartnersRepository(database.db),
      promotions: createPromotionsRepository(database.db),
      tokens: createTokenService({
        tokens: createTokenRepository(database.db),
        clock: systemClock,
        accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      }),
    };
    const now = systemClock.now();
    const partners: Partner[] = [];
    for (let i = 0; i < partnerCount; i++) {
      const clientSecret = `cs_${randomId(32)}`;
      const row = await services.partners.insert({
        id: randomUUID(),
        name: `Bench partner ${i}`,
        clientId: `ci_bench_${i}_${randomId(8)}`,
        clientSecretHash: await hashSecret(clientSecret),
        redirectUris: ['http://127.0.0.1:4000/callback'],
        scopes: [...SCOPES],
        createdAt: now,
      });
      const app = await services.tokens.issueAccessToken({
        kind: 'app',
        partnerId: row.id,
        accountId: null,
        scopes: [...SCOPES],
      });
      partners.push({ id: row.id, clientId: row.clientId, clientSecret, appToken: app.access_token });
    }
    // No budget (max_enrollments null): the enrollment path never touches the promotion row.
    await services.promotions.insert({
      id: PROMOTION_ID,
      partnerId: partners[0]!.id,
      name: 'Bench promotion',
      status: 'active',
      durationDays: 90,
      taskLimitPerMonth: 100,
      maxEnrollments: null,
      createdAt: now,
      updatedAt: now,
    });
    return partners;
  } finally {
    await database.close();
  }
}

/** Bulk seeding in plain SQL: scrypt-hashing thousands of passwords would take minutes. */
export class BulkSeeder {
  private constructor(
    private readonly client: pg.Client,
    private readonly partnerId: string,
    private readonly passwordHash: string,
  ) {}

  static async open(url: string, partnerId: string): Promise<BulkSeeder> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // One precomputed hash for every account: nobody logs in during the bench.
    return new BulkSeeder(client, partnerId, await hashSecret('bench password'));
  }

  close(): Promise<void> {
    return this.client.end();
  }

  query(text: string, values?: unknown[]): Promise<pg.QueryResult> {
    return this.client.query(text, values);
  }

  /** n accounts with ids md5('<pool>-<g>')::uuid; returns their ids in order. */
  async accounts(pool: string, n: number): Promise<string[]> {
    await this.client.query(
      `insert into accounts (id, email, password_hash, created_at)
       select ${uuidSql(pool, 'g')}, '${pool}-' || g || '@bench.test', $1, now()
       from generate_series(1, $2::int) g`,
      [this.passwordHash, n],
    );
    return range(n).map((g) => poolUuid(pool, g));
  }

  /** Enrollments into the bench promotion with ids md5('<pool>-<g>')::uuid, one per account of `accountPool`. */
  async enrollments(pool: string, accountPool: string, n: number, withUsage: boolean): Promise<string[]> {
    await this.client.query(
      `insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, created_at)
       select ${uuidSql(pool, 'g')}, $1, ${uuidSql(accountPool, 'g')}, $2,
              $4::timestamptz, $4::timestamptz + interval '90 days', now()
       from generate_series(1, $3::int) g`,
      [PROMOTION_ID, this.partnerId, n, ENROLLED_AT],
    );
    if (withUsage) {
      // The current cycle started at enrollment; GET reads this counter through a lateral join.
      await this.client.query(
        `insert into usage_counters (enrollment_id, cycle_start, used)
         select ${uuidSql(pool, 'g')}, $2::timestamptz, g % 50
         from generate_series(1, $1::int) g`,
        [n, ENROLLED_AT],
      );
    }
    return range(n).map((g) => poolUuid(pool, g));
  }

  /** A user token per account, minted like the token service does (sha-256 of the secret stored). */
  async userTokens(accountIds: string[]): Promise<string[]> {
    const values: string[] = [];
    for (let start = 0; start < accountIds.length; start += BATCH) {
      const slice = accountIds.slice(start, start + BATCH);
      const minted = slice.map(() => mintOpaque('at'));
      await this.client.query(
        `insert into access_tokens (id, secret_hash, kind, partner_id, account_id, scopes, expires_at, created_at)
         select t.id, t.hash, 'user', $3, t.account_id, '${SCOPES_SQL}', now() + ${TOKEN_TTL}, now()
         from unnest($1::text[], $2::text[], $4::uuid[]) as t(id, hash, account_id)`,
        [minted.map((m) => m.id), minted.map((m) => m.secretHash), this.partnerId, slice],
      );
      values.push(...minted.map((m) => m.value));
    }
    return values;
  }

  /** The 1M-row table of the scale run: accounts, enrollments and their usage counters, all in SQL. */
  async scale(n: number): Promise<void> {
    await this.client.query(
      `insert into accounts (id, email, password_hash, created_at)
       select ${uuidSql('scale', 'g')}, 'scale-' || g || '@bench.test', $1, now()
       from generate_series(1, $2::int) g`,
      [this.passwordHash, n],
    );
    await this.client.query(
      `insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, created_at)
       select ${uuidSql('scale-e', 'g')}, $1, ${uuidSql('scale', 'g')}, $2,
              $4::timestamptz, $4::timestamptz + interval '90 days', now()
       from generate_series(1, $3::int) g`,
      [PROMOTION_ID, this.partnerId, n, ENROLLED_AT],
    );
    await this.client.query(
      `insert into usage_counters (enrollment_id, cycle_start, used)
       select ${uuidSql('scale-e', 'g')}, $2::timestamptz, g % 50
       from generate_series(1, $1::int) g`,
      [n, ENROLLED_AT],
    );
  }

  /** pgbench inserts into these promotions with a sequence, so its INSERTs never collide and need few accounts. */
  async pgbenchFixtures(promotions: number, accounts: number, updatePool: number): Promise<void> {
    await this.client.query(
      `insert into promotions (id, partner_id, name, status, duration_days, task_limit_per_month, created_at, updated_at)
       select 'pgb_' || g, $1, 'pgbench ' || g, 'active', 90, 100, now(), now() from generate_series(0, $2::int - 1) g`,
      [this.partnerId, promotions],
    );
    await this.accounts('pgb-acct', accounts);
    await this.accounts('pgb-del-acct', updatePool);
    await this.enrollments('pgb-del', 'pgb-del-acct', updatePool, false);
    await this.client.query('create sequence bench_pgb_seq');
  }

  /**
   * CONTRACT §12's bench population: `n` accounts with external ids `ing-<g>`, each enrolled in
   * one promotion (even g: the limited one, odd g: the unlimited one), every third also in the
   * other; a sequence for pgbench's batch inserts.
   */
  async metering(n: number): Promise<void> {
    await this.client.query(
      `insert into promotions (id, partner_id, name, status, duration_days, task_limit_per_month, created_at, updated_at)
       values ($1, $3, 'Metered, limited', 'active', 90, 100, now(), now()),
              ($2, $3, 'Metered, unlimited', 'active', null, null, now(), now())`,
      [METERED_LIMITED, METERED_OPEN, this.partnerId],
    );
    await this.client.query(
      `insert into accounts (id, email, password_hash, external_id, created_at)
       select ${uuidSql('ing', 'g')}, 'ing-' || g || '@bench.test', $1, 'ing-' || g, now()
       from generate_series(1, $2::int) g`,
      [this.passwordHash, n],
    );
    for (const [pool, filter, even, odd] of [
      ['ing-e1', 'true', METERED_LIMITED, METERED_OPEN],
      ['ing-e2', 'g % 3 = 0', METERED_OPEN, METERED_LIMITED],
    ] as const) {
      await this.client.query(
        `insert into enrollments (id, promotion_id, account_id, partner_id, enrolled_at, expires_at, created_at)
         select ${uuidSql(pool, 'g')}, case when g % 2 = 0 then $1 else $2 end, ${uuidSql('ing', 'g')}, $3,
                $5::timestamptz,
                case when (g % 2 = 0) = ($1 = '${METERED_LIMITED}') then $5::timestamptz + interval '90 days' end, now()
         from generate_series(1, $4::int) g where ${filter}`,
        [even, odd, this.partnerId, n, ENROLLED_AT],
      );
    }
    await this.client.query('create sequence bench_pgb_ingest_seq');
  }

  /** `rows` usage ledger rows over the metered enrollments, in one INSERT … SELECT generate_series. */
  async ledger(rows: number, accounts: number): Promise<void> {
    await this.client.query(
      `insert into usage_ledger (id, enrollment_id, cycle_start, tasks_requested, tasks_accepted, event_id,
                                 occurred_at, recorded_at)
       select gen_random_uuid(), ${uuidSql('ing-e1', '(g % $2::int + 1)')}, $3::timestamptz, 1, 1, 'seed-' || g,
              now(), now()
       from generate_series(1, $1::int) g`,
      [rows, accounts, ENROLLED_AT],
    );
  }

  async analyze(): Promise<void> {
    await this.client.query('vacuum analyze');
  }
}

// The delete graph (src/db/ownership.ts) covers every reference of the schema: a new table that
// names a partner, an account, a test clock, a promotion or an enrollment either cascades from
// it (one schema edit, one migration) or says why not, and the migrations built what the
// schema declares, on PGlite and on PostgreSQL.
import { getTableName, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { deleteOwned, NOT_CASCADING, REFERENCES, TABLES } from '../../src/db/ownership.js';
import { accounts, partners } from '../../src/db/schema.js';
import { bearer, useTestApp } from '../helpers/app.js';

const ctx = useTestApp();

const foreignKeys = TABLES.flatMap((table) =>
  getTableConfig(table).foreignKeys.map((fk) => ({
    name: fk.getName(),
    onDelete: fk.onDelete ?? 'no action',
  })),
);

/** The columns that name a row of a table the delete graph deletes. */
const PARENT_COLUMNS = ['partner_id', 'account_id', 'test_clock_id', 'promotion_id', 'enrollment_id'];

describe('the delete graph', () => {
  it('cascades every foreign key but those listed with why they do not', () => {
    const notCascading = foreignKeys.filter((fk) => fk.onDelete !== 'cascade').map((fk) => fk.name);
    expect(notCascading.sort()).toEqual(Object.keys(NOT_CASCADING).sort());
    // Not a test of nothing: the schema's 20 cascading foreign keys when this was written.
    expect(foreignKeys.filter((fk) => fk.onDelete === 'cascade').length).toBeGreaterThanOrEqual(20);
  });

  it('knows every column that names a partner, an account, a test clock, a promotion or an enrollment', () => {
    const named = TABLES.flatMap((table) =>
      getTableConfig(table)
        .columns.filter((c) => PARENT_COLUMNS.includes(c.name))
        .map((c) => `${getTableName(table)}.${c.name}`),
    );
    const known = REFERENCES.map((r) => `${getTableName(r.child)}.${r.column}`);
    expect(named.filter((c) => !known.includes(c))).toEqual([]);
    // The two without a foreign key: the partitioned ledger and the platform's events.
    expect(REFERENCES.filter((r) => !r.keyed).map((r) => `${getTableName(r.child)}.${r.column}`)).toEqual([
      'usage_ledger.enrollment_id',
      'usage_events.account_id',
    ]);
  });

  it('is what the migrations built', async () => {
    const rows = await queryRows<{ name: string; on_delete: string }>(
      ctx.app.db,
      sql`select conname as name, case confdeltype when 'c' then 'cascade' when 'a' then 'no action'
                 else confdeltype::text end as on_delete
          from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace
          order by conname`,
    );
    const declared = foreignKeys.map((fk) => ({ name: fk.name, on_delete: fk.onDelete }));
    expect(rows).toEqual(declared.sort((a, b) => (a.name < b.name ? -1 : 1)));
  });

  it("deletes a partner's own rows with it, and refuses while an enrollment keeps it", async () => {
    const partner = await ctx.fixtures.partner();
    const account = await ctx.fixtures.account();
    const promotion = await ctx.fixtures.promotion(partner.id);
    const appToken = await ctx.fixtures.appToken(partner.id);
    const userToken = await ctx.fixtures.userToken(partner.id, account.id);
    const endpoint = await ctx.app.inject({
      method: 'POST',
      url: '/v2/webhook_endpoints',
      headers: bearer(appToken),
      payload: { url: 'http://127.0.0.1:9/graph' },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
    const enroll = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: bearer(userToken),
      payload: { promotion_id: promotion },
    });
    expect(enroll.statusCode, enroll.body).toBe(201);
    const where = sql`${partners.id} = ${partner.id}`;

    // The enrollment keeps its partner (and its account): a foreign key violation, nothing deleted.
    await expect(ctx.app.db.transaction((tx) => deleteOwned(tx, partners, where))).rejects.toMatchObject({
      cause: { code: '23503' },
    });
    await expect(
      ctx.app.db.transaction((tx) => deleteOwned(tx, accounts, sql`${accounts.id} = ${account.id}`)),
    ).rejects.toMatchObject({ cause: { code: '23503' } });

    const owned = async () => {
      const [row] = await queryRows<Record<string, number>>(
        ctx.app.db,
        sql`select (select count(*)::int from partners where id = ${partner.id}) as partners,
                   (select count(*)::int from promotions where partner_id = ${partner.id}) as promotions,
                   (select count(*)::int from access_tokens where partner_id = ${partner.id}) as access_tokens,
                   (select count(*)::int from webhook_endpoints where partner_id = ${partner.id}) as webhook_endpoints,
                   (select count(*)::int from events where partner_id = ${partner.id}) as events,
                   (select count(*)::int from webhook_deliveries d join webhook_endpoints w on w.id = d.endpoint_id
                     where w.partner_id = ${partner.id}) as webhook_deliveries,
                   (select count(*)::int from accounts where id = ${account.id}) as accounts`,
      );
      return row;
    };
    expect(await owned()).toEqual({
      partners: 1,
      promotions: 1,
      access_tokens: 2,
      webhook_endpoints: 1,
      events: 1,
      webhook_deliveries: 1,
      accounts: 1,
    });
    await ctx.app.db.execute(sql`delete from enrollments where partner_id = ${partner.id}`);
    expect(await ctx.app.db.transaction((tx) => deleteOwned(tx, partners, where))).toBe(1);
    // Everything of the partner went with it; the account is nobody's own and stays.
    expect(await owned()).toEqual({
      partners: 0,
      promotions: 0,
      access_tokens: 0,
      webhook_endpoints: 0,
      events: 0,
      webhook_deliveries: 0,
      accounts: 1,
    });
  });
});

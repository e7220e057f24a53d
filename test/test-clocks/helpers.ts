import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client.js';
import { bearer, type TestContext } from '../helpers/app.js';

/** The calls of a sandbox partner's CI through /v2, by inject. */
export function clockCalls(ctx: TestContext) {
  const call = (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    ctx.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
  return {
    call,
    async sandbox() {
      const partner = await ctx.fixtures.partner({ sandbox: true });
      return { partner, appToken: await ctx.fixtures.appToken(partner.id) };
    },
    async clock(appToken: string, frozenTime: string, name?: string): Promise<string> {
      const res = await call(appToken, 'POST', '/v2/test_helpers/test_clocks', {
        frozen_time: frozenTime,
        name,
      });
      if (res.statusCode !== 201) throw new Error(`clock: ${res.statusCode} ${res.body}`);
      return res.json().id;
    },
    async account(appToken: string, clockId: string): Promise<{ account_id: string; access_token: string }> {
      const res = await call(appToken, 'POST', `/v2/test_helpers/test_clocks/${clockId}/accounts`, {});
      if (res.statusCode !== 201) throw new Error(`account: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    async enroll(userToken: string, promotionId: string): Promise<string> {
      const res = await call(userToken, 'POST', '/v2/promotions', { promotion_id: promotionId });
      if (res.statusCode !== 201) throw new Error(`enroll: ${res.statusCode} ${res.body}`);
      return res.json().enrollment_id;
    },
    advance: (appToken: string, clockId: string, frozenTime: string) =>
      call(appToken, 'POST', `/v2/test_helpers/test_clocks/${clockId}/advance`, { frozen_time: frozenTime }),
    usage: (appToken: string, enrollmentId: string, tasks: number, idempotencyKey?: string) =>
      call(appToken, 'POST', `/v2/test_helpers/enrollments/${enrollmentId}/usage`, {
        tasks,
        ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
      }),
    async detail(token: string, enrollmentId: string) {
      const res = await call(token, 'GET', `/v2/promotions/${enrollmentId}`);
      if (res.statusCode !== 200) throw new Error(`detail: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    /** Rows of `table` matching `where` (raw SQL), counted. */
    async count(table: string, where: ReturnType<typeof sql>): Promise<number> {
      const [row] = await queryRows<{ n: number }>(
        ctx.app.db,
        sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`,
      );
      return row!.n;
    },
  };
}

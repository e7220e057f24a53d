// The SQL form of CONTRACT §3 rule 2 (used where a statement must report an enrollment as GET
// shows it, in the same round trip) equals the reference model, cycleAt, on both backends.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { epochMs } from '../../src/db/sql.js';
import { billingCycleSql, cycleAt } from '../../src/rules/billing-cycle.js';
import { useTestApp } from '../helpers/app.js';

const ctx = useTestApp();

async function sqlCycle(anchor: Date, at: Date): Promise<{ start: number; end: number }> {
  const [row] = await queryRows<{ start: number; end: number }>(
    ctx.app.db,
    sql`select ${epochMs(sql`cy.cycle_start`)} as start, ${epochMs(sql`cy.cycle_end`)} as end
        from ${billingCycleSql(sql`${anchor}::timestamptz`, sql`${at}::timestamptz`)} cy`,
  );
  return row!;
}

const expectSame = async (anchor: Date, at: Date) => {
  const reference = cycleAt(anchor, at);
  expect(await sqlCycle(anchor, at)).toEqual({
    start: reference.start.getTime(),
    end: reference.end.getTime(),
  });
};

describe('billingCycleSql', () => {
  it('clamps month ends from the anchor: Jan 31 → Feb 28/29 → Mar 31, and keeps the time of day', async () => {
    const anchor = new Date('2026-01-31T10:00:00Z');
    await expectSame(anchor, new Date('2026-02-28T09:59:59Z'));
    await expectSame(anchor, new Date('2026-02-28T10:00:00Z'));
    await expectSame(anchor, new Date('2026-03-31T10:00:00Z'));
    await expectSame(new Date('2028-01-31T23:59:59Z'), new Date('2028-02-29T23:59:59Z'));
    await expectSame(anchor, new Date('2025-12-01T00:00:00Z')); // before the anchor: cycle 0
  });

  it('equals cycleAt for any anchor and instant (property)', async () => {
    const instant = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2060-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
    await fc.assert(
      fc.asyncProperty(instant, fc.integer({ min: 0, max: 4000 * 86_400 }), async (anchor, offset) => {
        await expectSame(anchor, new Date(anchor.getTime() + offset * 1000));
      }),
      { numRuns: 150 },
    );
  });
});

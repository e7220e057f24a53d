// CONTRACT §3 rule 3: the part of a batch that fits under the limit, the same in the counter's
// UPDATE (acceptedTasksSql) and in TypeScript (acceptedTasks), on this run's backend.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptedTasks,
  acceptedTasksSql,
  INT4_MAX,
  usageCrossings,
  usageRefusal,
} from '../../src/rules/usage.js';
import { int, RUNS, useSqlTwin } from './sql-twin.js';

const twin = useSqlTwin();
const acceptedSql = (used: number, tasks: number, limit: number | null) =>
  twin.value<number>(acceptedTasksSql(int(used), int(tasks), int(limit)));

describe('acceptedTasksSql ≡ acceptedTasks', () => {
  it('accepts what fits, never past the limit, nothing once it is reached; the int4 cap without one', async () => {
    for (const [used, tasks, limit, accepted] of [
      [0, 10, 100, 10],
      [95, 10, 100, 5],
      [100, 10, 100, 0],
      [120, 10, 100, 0], // a limit lowered below the usage
      [0, 10, 0, 0],
      [INT4_MAX - 3, 10, null, 3],
    ] as const) {
      expect(acceptedTasks(used, tasks, limit)).toBe(accepted);
      expect(await acceptedSql(used, tasks, limit)).toBe(accepted);
    }
  });

  it('for any usage, batch and limit (property)', async () => {
    const limit = fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null, freq: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_200_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        limit,
        async (used, tasks, l) => {
          expect(await acceptedSql(used, tasks, l)).toBe(acceptedTasks(used, tasks, l));
        },
      ),
      RUNS,
    );
  });
});

describe('usage thresholds and refusals (TypeScript only: no statement needs them)', () => {
  it('fires 80% and the limit once each, when crossed, and the limit again for a partly rejected batch', () => {
    expect(usageCrossings(0, 79, 100, 0)).toEqual([]);
    expect(usageCrossings(79, 80, 100, 0)).toEqual(['usage.threshold_reached']);
    expect(usageCrossings(0, 100, 100, 0)).toEqual(['usage.threshold_reached', 'usage.limit_reached']);
    expect(usageCrossings(100, 100, 100, 5)).toEqual(['usage.limit_reached']);
    expect(usageCrossings(0, 5, null, 0)).toEqual([]);
    expect(usageCrossings(0, 0, 0, 5)).toEqual(['usage.limit_reached']);
  });

  it('refuses usage after unenrollment or past the expiration, naming when', () => {
    const expiresAt = new Date('2026-07-26T23:59:59Z');
    expect(usageRefusal({ unenrolledAt: null, expiresAt }, expiresAt)).toBeNull();
    expect(usageRefusal({ unenrolledAt: null, expiresAt }, new Date('2026-07-27T00:00:00Z'))).toBe(
      'The enrollment expired on 2026-07-26T23:59:59Z.',
    );
    expect(usageRefusal({ unenrolledAt: new Date('2026-05-01T08:00:00.500Z'), expiresAt }, expiresAt)).toBe(
      'The enrollment was unenrolled on 2026-05-01T08:00:00Z.',
    );
  });
});

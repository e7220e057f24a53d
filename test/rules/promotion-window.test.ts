// CONTRACT §3 rule 6: enrollableSql (the enrollment statement's guard) allows exactly when
// whyNotEnrollable finds no reason, on this run's backend.

import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { enrollableSql, type PromotionStatus, whyNotEnrollable } from '../../src/rules/promotion-window.js';
import { instant, RUNS, ts, useSqlTwin } from './sql-twin.js';

const twin = useSqlTwin();

const enrollable = (status: PromotionStatus, startsAt: Date | null, endsAt: Date | null, now: Date) =>
  twin.value<boolean>(
    enrollableSql({ status: sql`${status}::text`, startsAt: ts(startsAt), endsAt: ts(endsAt) }, ts(now)),
  );

describe('enrollableSql ≡ whyNotEnrollable(…) === null', () => {
  it('is half-open: open at starts_at, closed at ends_at', async () => {
    const startsAt = new Date('2026-05-01T00:00:00Z');
    const endsAt = new Date('2026-06-01T00:00:00Z');
    const cases: Array<[Date, boolean, string | null]> = [
      [
        new Date(startsAt.getTime() - 1),
        false,
        'The promotion has not started yet; enrollment opens at 2026-05-01T00:00:00Z.',
      ],
      [startsAt, true, null],
      [new Date(endsAt.getTime() - 1), true, null],
      [endsAt, false, 'The promotion has ended.'],
    ];
    for (const [now, allowed, reason] of cases) {
      expect(await enrollable('active', startsAt, endsAt, now)).toBe(allowed);
      expect(whyNotEnrollable({ status: 'active', startsAt, endsAt }, now)).toBe(reason);
    }
    expect(await enrollable('paused', null, null, startsAt)).toBe(false);
    expect(whyNotEnrollable({ status: 'paused', startsAt: null, endsAt: null }, startsAt)).toBe(
      'The promotion is paused.',
    );
  });

  it('for any status, window and instant, boundaries included (property)', async () => {
    const bound = fc.option(instant(), { nil: null, freq: 3 });
    const status = fc.constantFrom<PromotionStatus>('active', 'paused', 'ended');
    const scenario = fc
      .tuple(status, bound, bound, instant())
      .chain(([s, startsAt, endsAt, anyNow]) =>
        fc.tuple(
          fc.constant(s),
          fc.constant(startsAt),
          fc.constant(endsAt),
          fc.constantFrom(anyNow, ...[startsAt, endsAt].filter((d): d is Date => d !== null)),
        ),
      );
    await fc.assert(
      fc.asyncProperty(scenario, async ([s, startsAt, endsAt, now]) => {
        const reference = whyNotEnrollable({ status: s, startsAt, endsAt }, now) === null;
        expect(await enrollable(s, startsAt, endsAt, now)).toBe(reference);
      }),
      RUNS,
    );
  });
});

// CONTRACT §12: which batches take the locked path first (src/usage/ingest.ts nearLimit). A batch
// that may fill a limited counter to within 10% of its limit locks its counters before it
// allocates, so batches meeting at a limit do not retry each other in a storm; far from a limit,
// or at one already reached, the optimistic write fits whatever else runs.
import { describe, expect, it } from 'vitest';
import { nearLimit } from '../../src/usage/ingest.js';

const sponsor = (id: string, limit: number | null) => ({
  id,
  promotionId: 'p',
  partnerId: 'partner',
  enrolledAt: new Date(0),
  unenrolledAt: null,
  expiresAt: null,
  taskLimitPerMonth: limit,
  cycleStart: new Date(0),
  key: `${id}@0`,
});
const plan = (tasks: number, ...sponsors: ReturnType<typeof sponsor>[]) => ({
  candidate: { index: 0, id: `e${tasks}`, accountId: 'a', tasks, at: new Date(0), atGiven: false },
  sponsors,
});

describe('nearLimit (CONTRACT §12, rule 3 under concurrency)', () => {
  it('is false far from the limit, true once the batch may come within 10% of it', () => {
    const limited = sponsor('x', 100);
    expect(nearLimit([plan(40, limited), plan(50, limited)], new Map())).toBe(false);
    expect(nearLimit([plan(40, limited), plan(51, limited)], new Map())).toBe(true);
    expect(nearLimit([plan(10, limited)], new Map([['x@0', 80]]))).toBe(false);
    expect(nearLimit([plan(11, limited)], new Map([['x@0', 80]]))).toBe(true);
  });

  it('ignores unlimited sponsors and counters already full', () => {
    expect(nearLimit([plan(1_000_000, sponsor('u', null))], new Map())).toBe(false);
    expect(nearLimit([plan(5, sponsor('x', 100))], new Map([['x@0', 100]]))).toBe(false);
    expect(
      nearLimit(
        [plan(5, sponsor('x', 100), sponsor('y', 100))],
        new Map([
          ['x@0', 100],
          ['y@0', 95],
        ]),
      ),
    ).toBe(true);
  });
});

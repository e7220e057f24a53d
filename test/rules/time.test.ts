// CONTRACT §4: instants on the wire are RFC 3339 UTC with whole seconds; rfc3339Sql (event data
// built in SQL) writes exactly what toRfc3339 (every TypeScript response) writes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rfc3339Sql, toRfc3339 } from '../../src/rules/time.js';
import { instant, RUNS, ts, useSqlTwin } from './sql-twin.js';

const twin = useSqlTwin();

describe('rfc3339Sql ≡ toRfc3339', () => {
  it('truncates the fraction, never rounds: 23:59:59.999 is 23:59:59', async () => {
    const d = new Date('2026-07-26T23:59:59.999Z');
    expect(toRfc3339(d)).toBe('2026-07-26T23:59:59Z');
    expect(await twin.value<string>(rfc3339Sql(ts(d)))).toBe('2026-07-26T23:59:59Z');
  });

  it('for any instant, at millisecond precision (property)', async () => {
    await fc.assert(
      fc.asyncProperty(instant(), async (d) => {
        expect(await twin.value<string>(rfc3339Sql(ts(d)))).toBe(toRfc3339(d));
      }),
      RUNS,
    );
  });
});

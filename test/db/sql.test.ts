// The array literals batch statements send as one text parameter (src/db/sql.ts), read back by
// PostgreSQL itself: every element must come back as exactly the value sent, whatever it holds.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { intArray, nullableIntArray, nullableTextArray, textArray, uuidArray } from '../../src/db/sql.js';
import { useTestApp } from '../helpers/app.js';

const ctx = useTestApp();

const HARD = [
  'plain',
  '',
  'NULL',
  'null',
  'a,b',
  '{x}',
  'say "hi"',
  'back\\slash',
  '\\"',
  ' padded ',
  'ünï 💡',
  'tab\there',
];

async function roundTrip(literal: string, type: string): Promise<unknown[]> {
  const [row] = await queryRows<{ a: unknown[] }>(
    ctx.app.db,
    sql`select ${literal}::${sql.raw(type)}[] as a`,
  );
  return row!.a;
}

describe('src/db/sql.ts array literals', () => {
  it('textArray: quotes, backslashes, commas, braces and the word NULL come back as sent', async () => {
    await expect(roundTrip(textArray(HARD), 'text')).resolves.toEqual(HARD);
    await expect(roundTrip(textArray([]), 'text')).resolves.toEqual([]);
  });

  it('nullableTextArray: a null is SQL NULL, the string "NULL" stays text', async () => {
    const values = [null, ...HARD, null];
    await expect(roundTrip(nullableTextArray(values), 'text')).resolves.toEqual(values);
    const [row] = await queryRows<{ nulls: number }>(
      ctx.app.db,
      sql`select count(*)::int - count(v)::int as nulls from unnest(${nullableTextArray(['NULL', null])}::text[]) v`,
    );
    expect(row!.nulls).toBe(1);
  });

  it('intArray, nullableIntArray (a null is SQL NULL) and uuidArray', async () => {
    const ints = (await roundTrip(intArray([0, -1, 1_780_000_000_000]), 'bigint')).map(Number);
    expect(ints).toEqual([0, -1, 1_780_000_000_000]);
    const nullable = await roundTrip(nullableIntArray([null, 0, -1, null, 1_780_000_000_000]), 'bigint');
    expect(nullable.map((v) => (v === null ? null : Number(v)))).toEqual([
      null,
      0,
      -1,
      null,
      1_780_000_000_000,
    ]);
    const ids = ['00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-4fff-bfff-ffffffffffff'];
    await expect(roundTrip(uuidArray(ids), 'uuid')).resolves.toEqual(ids);
  });
});

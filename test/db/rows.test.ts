// The shared builder statements of src/db/rows.ts, on the operators table: one row by a
// condition, an insert the unique index may refuse, a conditional UPDATE … RETURNING, and the
// case-insensitive email comparison the `lower(email)` indexes decide by.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findOne, insertUnlessTaken, sameEmail, updateOne } from '../../src/db/rows.js';
import { operators } from '../../src/db/schema.js';
import { useTestApp } from '../helpers/app.js';

const ctx = useTestApp();

const operator = (email: string) => ({
  id: randomUUID(),
  email,
  passwordHash: 'not-a-hash',
  role: 'viewer' as const,
});

describe('src/db/rows.ts', () => {
  it('inserts a row, and answers undefined when the unique index refuses one', async () => {
    const row = operator('Rows.Insert@example.com');
    const created = await insertUnlessTaken(ctx.app.db, operators, row);
    expect(created).toMatchObject({ id: row.id, email: 'Rows.Insert@example.com', role: 'viewer' });
    expect(created?.createdAt).toBeInstanceOf(Date);
    await expect(
      insertUnlessTaken(ctx.app.db, operators, operator('rows.insert@EXAMPLE.com')),
    ).resolves.toBeUndefined();
  });

  it('finds the one row a condition selects, emails compared case-insensitively; undefined for none', async () => {
    const row = operator('Rows.Find@example.com');
    await insertUnlessTaken(ctx.app.db, operators, row);
    const byEmail = await findOne(ctx.app.db, operators, sameEmail(operators.email, 'rows.FIND@example.com'));
    expect(byEmail?.id).toBe(row.id);
    expect((await findOne(ctx.app.db, operators, eq(operators.id, row.id)))?.email).toBe(row.email);
    await expect(findOne(ctx.app.db, operators, eq(operators.id, randomUUID()))).resolves.toBeUndefined();
  });

  it('updates the row its guard selects and returns it; undefined when the guard refuses', async () => {
    const row = operator('rows.update@example.com');
    await insertUnlessTaken(ctx.app.db, operators, row);
    const at = new Date('2026-12-06T10:00:00Z');
    const live = and(eq(operators.id, row.id), isNull(operators.disabledAt));
    const disabled = await updateOne(ctx.app.db, operators, { disabledAt: at }, live);
    expect(disabled).toMatchObject({ id: row.id, disabledAt: at });
    await expect(updateOne(ctx.app.db, operators, { disabledAt: at }, live)).resolves.toBeUndefined();
  });
});

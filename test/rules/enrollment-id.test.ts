// CONTRACT §3: the public enrollment id `<promotion_id>:<uuid>`, formatted the same in SQL
// (event data) and TypeScript, and parsed back to its key.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from '../../src/db/ids.js';
import {
  enrollmentIdSql,
  formatEnrollmentId,
  PROMOTION_ID_PATTERN,
  parseEnrollmentId,
  UUID_PATTERN,
} from '../../src/rules/enrollment-id.js';
import { RUNS, useSqlTwin } from './sql-twin.js';

const twin = useSqlTwin();
const slug = fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/);

describe('enrollmentIdSql ≡ formatEnrollmentId, and parseEnrollmentId inverts it', () => {
  it('for any promotion slug and uuid (property)', async () => {
    await fc.assert(
      fc.asyncProperty(slug, fc.uuid({ version: 4 }), async (promotionId, id) => {
        const formatted = formatEnrollmentId(promotionId, id);
        expect(await twin.value<string>(enrollmentIdSql(sql`${promotionId}::text`, sql`${id}::uuid`))).toBe(
          formatted,
        );
        expect(parseEnrollmentId(formatted)).toEqual({ promotionId, id });
      }),
      RUNS,
    );
  });

  it('parses nothing that is not an enrollment id (callers answer 404)', () => {
    const id = randomUUID();
    for (const value of ['', id, `:${id}`, `promo:not-a-uuid`, `${'p'.repeat(65)}:${id}`, `pro mo:${id}`]) {
      expect(parseEnrollmentId(value), value).toBeNull();
    }
    expect(parseEnrollmentId(`a:b:${id.toUpperCase()}`)).toBeNull();
    expect(parseEnrollmentId(`spring.2026:${id.toUpperCase()}`)).toEqual({ promotionId: 'spring.2026', id });
    expect(PROMOTION_ID_PATTERN.test('a:b')).toBe(false);
  });
});

describe('UUID_PATTERN', () => {
  it('takes the ids the server makes, in either case, and nothing else', () => {
    for (const id of [randomUUID(), timeOrderedUuid(), randomUUID().toUpperCase()]) {
      expect(UUID_PATTERN.test(id), id).toBe(true);
    }
    for (const value of [
      '',
      'not-a-uuid',
      `${randomUUID()}0`,
      ` ${randomUUID()}`,
      randomUUID().replace(/-/g, ''),
    ]) {
      expect(UUID_PATTERN.test(value), value).toBe(false);
    }
  });

  it('is the one copy of the pattern in src/', () => {
    const copies = readdirSync('src', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .filter((file) => readFileSync(join('src', file), 'utf8').includes('[0-9a-f]{8}-[0-9a-f]{4}'));
    expect(copies).toEqual([join('rules', 'enrollment-id.ts')]);
  });
});

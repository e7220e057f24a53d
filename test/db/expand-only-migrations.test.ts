// docs/OPERATIONS.md: a migration never breaks the previous release's queries. A migration may
// expand the schema; one that contracts it (drops, renames, retypes, narrows) must be listed
// below with what it removes and since which migration nothing uses it, so the exception is
// reviewed, never slipped in. scripts/upgrade-test.sh proves the rule under load on PostgreSQL.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../../src/db/client.js';

/** Contracting migrations, each with why it is safe (what it removes is unused since an earlier release). */
const CONTRACTS: Record<string, string> = {
  // Before the rule was written (issue 28): the event log replaced both tables in one step.
  '0005_event_log.sql': 'drops enrollment_events and webhook_events, replaced by events',
  // The role check is dropped and added again wider (adds 'meter'): every value the previous
  // release writes still passes. task_usage is kept for the previous release (CONTRACT §12.5).
  '0006_usage_metering.sql': "re-creates admin_api_keys_role_check wider, with 'meter'",
  // Each foreign key is dropped and added again in the same statement, the same check with ON
  // DELETE CASCADE: every row the previous release writes still passes, and its hand-written
  // deletes (children first) still work.
  '0009_delete_graph_cascades.sql': 'swaps 17 foreign keys for the same ones with ON DELETE CASCADE',
};

const CONTRACTING = [
  /\bDROP\s+(TABLE|COLUMN|INDEX|VIEW|FUNCTION|TYPE|SCHEMA|CONSTRAINT)\b/i,
  /\bRENAME\b/i,
  /\bALTER\s+COLUMN\s+"?\w+"?\s+(SET\s+DATA\s+)?TYPE\b/i,
  /\bSET\s+NOT\s+NULL\b/i,
  /\bTRUNCATE\b/i,
  /\bDELETE\s+FROM\b/i,
  /\bUPDATE\s+"?\w+"?\s+SET\b/i,
];

const files = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql'));

/** The contracting statements of one migration's SQL, as written. */
function contracting(sql: string): string[] {
  return sql
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter((s) => CONTRACTING.some((re) => re.test(s)));
}

describe('migrations expand the schema, never contract it unannounced', () => {
  it.each(files)('%s', (file) => {
    const found = contracting(readFileSync(join(MIGRATIONS_FOLDER, file), 'utf8'));
    if (CONTRACTS[file])
      expect(found.length, `${file} is listed as contracting but contracts nothing`).toBeGreaterThan(0);
    else expect(found, `${file} contracts the schema: list it in CONTRACTS with why it is safe`).toEqual([]);
  });

  it('recognises each kind of contracting statement', () => {
    for (const sql of [
      'ALTER TABLE "partners" DROP COLUMN "sandbox";',
      'ALTER TABLE "partners" RENAME COLUMN "name" TO "title";',
      'ALTER TABLE "partners" ALTER COLUMN "name" SET DATA TYPE varchar(10);',
      'ALTER TABLE "partners" ALTER COLUMN "disabled_at" SET NOT NULL;',
      'DROP TABLE "partners" CASCADE;',
    ]) {
      expect(contracting(sql), sql).toEqual([sql]);
    }
    expect(contracting('ALTER TABLE "partners" ADD COLUMN "disabled_at" timestamp with time zone;')).toEqual(
      [],
    );
  });
});

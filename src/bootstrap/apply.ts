// CONTRACT §10: the applier. Plans and applies a bootstrap document in ONE transaction, under
// an advisory lock shared by every instance: a failure anywhere changes nothing, and instances
// starting together with the same file apply it one after the other (the later ones find
// everything unchanged). A dry run (`--plan`) plans in the same way and writes nothing.
import { readFile } from 'node:fs/promises';
import type { AuditContext } from '../audit/audit-log.js';
import { isApiError } from '../errors.js';
import { parseBootstrapFile } from './parse.js';
import {
  type BootstrapChange,
  type BootstrapDeps,
  type BootstrapOutcome,
  OUTCOMES,
  planBootstrap,
} from './plan.js';
import { bootstrapConflict, isBootstrapError } from './problems.js';
import type { BootstrapDocument } from './schema.js';

export interface BootstrapResult {
  dry_run: boolean;
  changes: BootstrapChange[];
  summary: Record<BootstrapOutcome, number>;
}

export function summarize(changes: BootstrapChange[]): Record<BootstrapOutcome, number> {
  const summary = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<BootstrapOutcome, number>;
  for (const change of changes) summary[change.outcome]++;
  return summary;
}

/** Applies (or with `dryRun`, only plans) a validated document; BootstrapError when it cannot. */
export async function applyBootstrap(
  document: BootstrapDocument,
  deps: BootstrapDeps,
  /** `audit`: who applies it through the admin API (CONTRACT §11); none at start. */
  options: { dryRun: boolean; audit?: AuditContext },
): Promise<BootstrapResult> {
  const changes = await deps.db.transaction(async (tx) => {
    if (!options.dryRun) await deps.repository.lock(tx);
    const planned = await planBootstrap(document, { ...deps, audit: options.audit }, tx);
    if (!options.dryRun) {
      for (const step of planned) {
        if (!step.apply) continue;
        try {
          await step.apply(tx);
        } catch (err) {
          // A rule the feature services keep (a budget raced below, a window) names the object.
          if (isApiError(err) && !isBootstrapError(err)) {
            throw bootstrapConflict([{ path: step.at, message: err.message }]);
          }
          throw err;
        }
      }
    }
    return planned.map((p) => p.change);
  });
  return { dry_run: options.dryRun, changes, summary: summarize(changes) };
}

/** SEED_FILE could not be read: one line naming it. */
export class SeedFileError extends Error {}

/**
 * SEED_FILE at start: read, parsed with the server's own environment, applied. Throws
 * SeedFileError (unreadable) or BootstrapError (its lines say what is wrong); nothing changed.
 */
export async function applySeedFile(
  path: string,
  env: NodeJS.ProcessEnv,
  deps: BootstrapDeps,
): Promise<BootstrapResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SeedFileError(
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const { document } = parseBootstrapFile(text, env);
  return applyBootstrap(document, deps, { dryRun: false });
}

// `npm run admin -- apply -f <file> [--plan]` (CONTRACT §10): the bootstrap file, read and
// validated here with the server's own parser, its secrets resolved from this machine's
// environment variables, then sent to POST /admin/v1/bootstrap. Prints one line per object
// (created / updated / unchanged, and with prune: deleted / ended / kept) and a summary.
import { readFileSync } from 'node:fs';
import { parseBootstrapFile } from '../../src/bootstrap/parse.js';
import { isBootstrapError, problemLines as linesOf } from '../../src/bootstrap/problems.js';
import { type BootstrapResult, PromotionsApiError } from '../typescript/src/index.js';
import { CommandFailed, type Commands, required, UsageError } from './command.js';
import { table } from './table.js';

const OUTCOME_ORDER = ['created', 'updated', 'unchanged', 'deleted', 'ended', 'kept'] as const;

/** `3 created, 1 updated, 2 unchanged` (zero counts left out; "nothing" when empty). */
export function summaryLine(summary: BootstrapResult['summary']): string {
  const parts = OUTCOME_ORDER.filter((o) => summary[o] > 0).map((o) => `${summary[o]} ${o}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing declared';
}

function report(file: string, result: BootstrapResult): string {
  const rows = result.changes.map((c) => [
    c.kind.replace('_', ' '),
    c.key,
    c.outcome,
    c.fields.length > 0 ? c.fields.join(', ') : (c.detail ?? ''),
  ]);
  const head = result.dry_run ? `Plan for ${file} (nothing was changed):` : `Applied ${file}:`;
  const body =
    rows.length > 0 ? table(['OBJECT', 'NAME', 'OUTCOME', 'DETAIL'], rows) : '(the file declares nothing)';
  return `${head}\n${body}\n\n${result.dry_run ? 'Would be' : 'Done'}: ${summaryLine(result.summary)}.`;
}

/** The lines of the server's 400/409 envelope: one per problem, as the file's own validation prints them. */
function problemLines(error: PromotionsApiError): string[] | null {
  if (error.code !== 'invalid_request' && error.code !== 'bootstrap_conflict') return null;
  const errors = (error.body as { errors?: { detail?: string }[] } | undefined)?.errors ?? [];
  return errors.map((e) => `  ${e.detail ?? ''}`);
}

export const applyCommands: Commands = {
  apply: {
    usage: 'apply -f <file.yaml> [--plan]',
    summary:
      'Apply a bootstrap file (partners, accounts, promotions, webhook endpoints); --plan shows what would change',
    options: {
      file: { type: 'string', short: 'f' },
      plan: { type: 'boolean' },
    },
    async run(admin, values, _args, { env }) {
      const file = required(values, 'file');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      let input: ReturnType<typeof parseBootstrapFile>['input'];
      try {
        // Secrets come from this machine's environment; the file only names the variables.
        ({ input } = parseBootstrapFile(text, env));
      } catch (err) {
        if (!isBootstrapError(err)) throw err;
        const lines = linesOf(err);
        throw new CommandFailed(
          [
            `error: ${file}: ${lines.length} problem${lines.length === 1 ? '' : 's'}, nothing was changed`,
            ...lines.map((l) => `  ${l}`),
          ],
          err.toEnvelope(),
        );
      }
      try {
        const result = await admin.bootstrap.apply({ document: input, dry_run: values.plan === true });
        return { json: result, text: report(file, result) };
      } catch (err) {
        const lines = err instanceof PromotionsApiError ? problemLines(err) : null;
        if (!lines) throw err;
        throw new CommandFailed(
          [
            `error: ${file}: ${lines.length} problem${lines.length === 1 ? '' : 's'}, nothing was changed`,
            ...lines,
          ],
          (err as PromotionsApiError).body,
        );
      }
    },
  },
};

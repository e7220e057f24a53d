// CONTRACT §10: what is wrong with a bootstrap document, one line per problem, each naming the
// object and the field: `promotions[2].duration_days: must be a positive integer`. The same
// lines stop the server's start, fail the CLI, and are the `detail`s of the admin API's error.
import type { z } from 'zod';
import { ApiErrorList, type DocumentProblem, ERRORS } from '../errors.js';

export type ProblemPath = (string | number)[];

export interface BootstrapProblem {
  path: ProblemPath;
  message: string;
}

/** `promotions[2].duration_days`; the file itself is `(file)`. */
export function formatPath(path: ProblemPath): string {
  if (path.length === 0) return '(file)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}

export const formatProblem = (problem: BootstrapProblem): string =>
  `${formatPath(problem.path)}: ${problem.message}`;

const SECTIONS = ['partners', 'accounts', 'promotions', 'webhook_endpoints'] as const;
const OBJECT_NAMES: Record<string, string> = {
  partners: 'a partner',
  accounts: 'an account',
  promotions: 'a promotion',
  webhook_endpoints: 'a webhook endpoint',
};
const SECRET_KEYS: Record<string, string> = {
  client_secret: 'client_secret_env',
  password: 'password_env',
  secret: 'secret_env',
};

/** The zod error map for bootstrap documents: short messages in the house's words. */
export function bootstrapErrorMap(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'is required';
  switch (issue.expected) {
    case 'object':
      return 'must be a mapping of fields';
    case 'array':
      return 'must be a list';
    case 'string':
      return 'must be a string';
    case 'number':
      return 'must be a number';
    case 'boolean':
      return 'must be true or false';
    default:
      return `must be ${issue.expected}`;
  }
}

/**
 * zod's issues as problems: an unknown field becomes one problem per field. In a file
 * (`inFile`), a secret written as a value is pointed at the `…_env` field it belongs in.
 */
export function problemsOf(issues: z.core.$ZodIssue[], inFile: boolean): BootstrapProblem[] {
  const problems: BootstrapProblem[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') {
      problems.push({ path: issue.path as ProblemPath, message: issue.message });
      continue;
    }
    const owner = issue.path.length === 2 ? OBJECT_NAMES[String(issue.path[0])] : undefined;
    for (const key of issue.keys) {
      const envField = SECRET_KEYS[key];
      problems.push({
        path: [...(issue.path as ProblemPath), key],
        message:
          inFile && owner && envField
            ? `secrets are never written in the file: name the environment variable that holds it in ${envField}`
            : owner
              ? `is not a field of ${owner}`
              : issue.path.length === 0
                ? `is not a section of the file (${[...SECTIONS, 'prune'].join(', ')})`
                : 'is not a known field',
      });
    }
  }
  return sortProblems(problems);
}

/** Document order: section, then index, then as found. */
export function sortProblems(problems: BootstrapProblem[]): BootstrapProblem[] {
  const rank = (p: BootstrapProblem) => {
    const section = SECTIONS.indexOf(p.path[0] as (typeof SECTIONS)[number]);
    return [section, typeof p.path[1] === 'number' ? p.path[1] : -1] as const;
  };
  return problems
    .map((p, i) => ({ p, i, r: rank(p) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * A bootstrap document that cannot be applied; nothing was changed. `invalid_request` (400):
 * it breaks the schema; `bootstrap_conflict` (409): it is valid but this database cannot take
 * it as it stands (a promotion owned by another partner, an unknown partner, an unsafe URL…).
 * The envelope lists every problem, each with a `source.pointer` into the request's `document`.
 */
export type BootstrapError = ApiErrorList;

const asDocumentProblem = (problem: BootstrapProblem): DocumentProblem => ({
  detail: formatProblem(problem),
  pointer: `/document${problem.path.map((p) => `/${p}`).join('')}`,
});

export function invalidDocument(problems: BootstrapProblem[]): BootstrapError {
  return ERRORS.invalidBootstrapDocument(problems.map(asDocumentProblem));
}

export function bootstrapConflict(problems: BootstrapProblem[]): BootstrapError {
  return ERRORS.bootstrapConflict(problems.map(asDocumentProblem));
}

export const isBootstrapError = (err: unknown): err is BootstrapError => err instanceof ApiErrorList;

/** The problem lines, one per problem, as the start-up and the CLI print them. */
export const problemLines = (err: BootstrapError): string[] => err.problems.map((p) => p.detail);

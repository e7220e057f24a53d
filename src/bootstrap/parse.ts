// CONTRACT §10: a bootstrap file's text and an environment → the validated document. The one
// reader of the file: the server at start (its own environment) and the CLI (the operator's)
// both come through here, so both report the same lines.
import { parseDocument } from 'yaml';
import {
  type BootstrapProblem,
  bootstrapErrorMap,
  invalidDocument,
  problemsOf,
  sortProblems,
} from './problems.js';
import {
  type BootstrapDocument,
  type BootstrapDocumentInput,
  BootstrapDocumentSchema,
  BootstrapFileSchema,
  ENV_NAME,
  SECRET_FIELDS,
} from './schema.js';

export interface ParsedBootstrapFile {
  /** What POST /admin/v1/bootstrap takes: the file as written, each secret resolved from its variable. */
  input: BootstrapDocumentInput;
  document: BootstrapDocument;
}

type Sections = keyof typeof SECRET_FIELDS;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The YAML, or its syntax errors as `line 3, column 7: …` (the message without its code frame). */
function readYaml(text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw invalidDocument(
      doc.errors.map((error) => {
        const at = error.linePos?.[0];
        // Only the first line: the rest is a frame of the file's text.
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return { path: [at ? `line ${at.line}, column ${at.col}` : 'YAML'], message };
      }),
    );
  }
  // An empty file is an empty document: it declares nothing.
  return doc.contents === null ? {} : doc.toJS();
}

/**
 * Each `…_env` field's variable looked up in `env`, on the raw file (so a missing variable is
 * reported beside the file's other problems). An unset or empty variable is a problem naming
 * the object, the field and the variable; a value is never part of a message.
 */
function resolveSecrets(
  raw: unknown,
  env: NodeJS.ProcessEnv,
): { input: Record<string, unknown>; problems: BootstrapProblem[] } {
  const problems: BootstrapProblem[] = [];
  if (!isRecord(raw)) return { input: {}, problems };
  const input: Record<string, unknown> = { ...raw };
  for (const section of Object.keys(SECRET_FIELDS) as Sections[]) {
    const entries = raw[section];
    if (!Array.isArray(entries)) continue;
    const fields = SECRET_FIELDS[section];
    input[section] = entries.map((entry: unknown, i) => {
      // A malformed name is the schema's problem; only well-formed ones are looked up.
      if (
        !isRecord(entry) ||
        typeof entry[fields.env] !== 'string' ||
        !ENV_NAME.test(entry[fields.env] as string)
      )
        return entry;
      const { [fields.env]: name, ...rest } = entry;
      const value = env[name as string];
      if (value === undefined || value === '') {
        problems.push({
          path: [section, i, fields.env],
          message: `the environment variable ${name as string} is not set`,
        });
      }
      return { ...rest, [fields.value]: value };
    });
  }
  return { input, problems };
}

/** A problem on a resolved secret, pointed back at the `…_env` field and its variable. */
function onTheVariable(problem: BootstrapProblem, raw: Record<string, unknown>): BootstrapProblem {
  const [section, index, field] = problem.path;
  const fields = SECRET_FIELDS[section as Sections] as (typeof SECRET_FIELDS)[Sections] | undefined;
  if (!fields || field !== fields.value || typeof index !== 'number' || problem.path.length !== 3)
    return problem;
  const entry = (raw[section as string] as Record<string, unknown>[])[index]!;
  return { path: [section!, index, fields.env], message: `${String(entry[fields.env])} ${problem.message}` };
}

/**
 * Parses and validates a bootstrap file. Throws a BootstrapError (`invalid_request`) listing
 * every problem found: YAML syntax first; else the file's schema and its variables together;
 * else the resolved secrets and what spans objects (a client_id or email declared twice).
 */
export function parseBootstrapFile(text: string, env: NodeJS.ProcessEnv): ParsedBootstrapFile {
  const raw = readYaml(text);
  const file = BootstrapFileSchema.safeParse(raw, { error: bootstrapErrorMap });
  const { input, problems: unset } = resolveSecrets(raw, env);
  const problems = [...(file.success ? [] : problemsOf(file.error.issues, true)), ...unset];
  if (problems.length > 0) throw invalidDocument(sortProblems(problems));

  const document = BootstrapDocumentSchema.safeParse(input, { error: bootstrapErrorMap });
  if (!document.success) {
    throw invalidDocument(
      problemsOf(document.error.issues, true).map((p) => onTheVariable(p, raw as Record<string, unknown>)),
    );
  }
  return { input: input as BootstrapDocumentInput, document: document.data };
}

/** A resolved document as the admin API receives it; BootstrapError (`invalid_request`) when invalid. */
export function parseBootstrapDocument(input: unknown): BootstrapDocument {
  const document = BootstrapDocumentSchema.safeParse(input, { error: bootstrapErrorMap });
  if (!document.success) throw invalidDocument(problemsOf(document.error.issues, false));
  return document.data;
}

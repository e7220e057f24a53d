import type { FastifyRequest } from 'fastify';

/** Parameters of a parsed query or form: repeats are remembered, empty values count as absent (RFC 6749 §3.1). */
export interface FormParams {
  values: Record<string, string>;
  repeated: string[];
}

/** Why a form body is not acceptable; each endpoint answers it in its own error format. */
export type FormProblem =
  | { kind: 'media_type' }
  /** RFC 6749 §3.1/§3.2: parameters may not repeat. */
  | { kind: 'repeated'; name: string }
  | { kind: 'invalid'; name: string };

const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/** Flattens a parsed query or form (strings, arrays for repeats). */
export function readParams(source: unknown): FormParams & { problem?: FormProblem } {
  const values: Record<string, string> = {};
  const repeated: string[] = [];
  let problem: FormProblem | undefined;
  if (source && typeof source === 'object') {
    for (const [name, value] of Object.entries(source)) {
      if (Array.isArray(value)) {
        repeated.push(name);
        problem ??= { kind: 'repeated', name };
      } else if (typeof value !== 'string') problem ??= { kind: 'invalid', name };
      else if (value !== '') values[name] = value;
    }
  }
  return problem ? { values, repeated, problem } : { values, repeated };
}

/**
 * The one reader of OAuth form bodies: `application/x-www-form-urlencoded`, every parameter
 * once. The first problem met is handed to `fail`, whose error is thrown.
 */
export function readForm(
  request: FastifyRequest,
  fail: (problem: FormProblem) => Error,
): Record<string, string> {
  if (!FORM_TYPE.test(request.headers['content-type'] ?? '')) throw fail({ kind: 'media_type' });
  const params = readParams(request.body);
  if (params.problem) throw fail(params.problem);
  return params.values;
}

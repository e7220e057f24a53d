/** What every command file of the admin CLI builds on: the Command shape and option readers. */
import type { ParseArgsConfig } from 'node:util';
import type { AdminClient } from '../typescript/src/index.js';

/** A mistake in the command line: exit 2 with the command's usage. */
export class UsageError extends Error {}

/** The command's input was refused before any call (e.g. an invalid file): exit 1 with these lines. */
export class CommandFailed extends Error {
  constructor(
    readonly lines: string[],
    readonly json: unknown,
  ) {
    super(lines.join('\n'));
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  usage: string;
  summary: string;
  /** More lines for `<command> --help`, after the summary. */
  help?: string;
  options: Options;
  /** Names of positionals, in order; all required. */
  args?: string[];
  run(
    admin: AdminClient,
    values: Values,
    args: string[],
    context: { baseUrl: string; env: NodeJS.ProcessEnv; progress: Progress; stdout: NodeJS.WritableStream },
  ): Promise<{ json: unknown; text: string /** Default 0. */; exitCode?: number } | null>;
}

/** Where a long command reports its progress (stderr): raw text, and whether it is a terminal. */
export interface Progress {
  write(text: string): void;
  isTTY: boolean;
}

/** A command group: `<resource> <action>` (or one word, like `apply`) → its command. */
export type Commands = Record<string, Command>;

export const str = (values: Values, name: string) => values[name] as string | undefined;

export function required(values: Values, name: string): string {
  const value = str(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

export function integer(values: Values, name: string, { nullable = false } = {}): number | null | undefined {
  const value = str(values, name);
  if (value === undefined) return undefined;
  if (nullable && value === 'none') return null;
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--${name} must be a whole number${nullable ? ' or "none"' : ''}, not "${value}"`);
  }
  return Number(value);
}

/** RFC 3339 in, the server's form (UTC, `Z`, whole seconds) out; "none" clears the field. */
export function instant(values: Values, name: string): string | null | undefined {
  const value = str(values, name);
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new UsageError(`--${name} must be a date-time such as 2026-07-01T00:00:00Z, not "${value}"`);
  }
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function list(values: Values, name: string): string[] | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [String(value)]).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

/** Drops undefined fields so PATCH only carries what was given. */
export function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

/** The `--limit` and `--cursor` of a list command, as the client's query. */
export const pageQuery = (values: Values) =>
  defined({ limit: integer(values, 'limit') ?? undefined, cursor: str(values, 'cursor') });

export const PAGE_OPTIONS: Options = { limit: { type: 'string' }, cursor: { type: 'string' } };

/** The line after a page that has more: the same command with `--cursor`. */
export const more = (cursor: string | null, command: string) =>
  cursor ? `\nMore: ${command} --cursor ${cursor}` : '';

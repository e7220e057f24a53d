#!/usr/bin/env node
/**
 * The operator's CLI over the admin API: `npm run admin -- <resource> <action> [options]`.
 * Built on the typed client in clients/typescript. Exit codes: 0 ok, 1 the API answered an
 * error, 2 usage error, 3 the server could not be reached.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  type AdminClient,
  createAdminClient,
  type Promotion,
  PromotionsApiError,
  PromotionsConnectionError,
  type PromotionUpdate,
} from '../../clients/typescript/src/index.js';
import { clockCommands } from './clocks.js';
import { type Cell, record, table } from './table.js';

export const EXIT = { ok: 0, api: 1, usage: 2, connection: 3 } as const;
const DEFAULT_URL = 'http://127.0.0.1:3000';

class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | string[] | undefined>;

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface Command {
  usage: string;
  summary: string;
  options: Options;
  /** Names of positionals, in order; all required. */
  args?: string[];
  run(
    admin: AdminClient,
    values: Values,
    args: string[],
    context: { baseUrl: string },
  ): Promise<{ json: unknown; text: string }>;
}

const GLOBAL_OPTIONS: Options = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

// --- option helpers ----------------------------------------------------------------------------

const str = (values: Values, name: string) => values[name] as string | undefined;

function required(values: Values, name: string): string {
  const value = str(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function integer(values: Values, name: string, { nullable = false } = {}): number | null | undefined {
  const value = str(values, name);
  if (value === undefined) return undefined;
  if (nullable && value === 'none') return null;
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`--${name} must be a whole number${nullable ? ' or "none"' : ''}, not "${value}"`);
  }
  return Number(value);
}

/** RFC 3339 in, the server's form (UTC, `Z`, whole seconds) out; "none" clears the field. */
function instant(values: Values, name: string): string | null | undefined {
  const value = str(values, name);
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new UsageError(`--${name} must be a date-time such as 2026-07-01T00:00:00Z, not "${value}"`);
  }
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function list(values: Values, name: string): string[] | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [String(value)]).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);
}

/** Drops undefined fields so PATCH only carries what was given. */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

const more = (cursor: string | null, command: string) =>
  cursor ? `\nMore: ${command} --cursor ${cursor}` : '';

// --- rendering ----------------------------------------------------------------------------------

function promotionRecord(p: Promotion): string {
  return record([
    ['id', p.id],
    ['name', p.name],
    ['partner_id', p.partner_id],
    ['status', p.status],
    ['starts_at', p.starts_at],
    ['ends_at', p.ends_at],
    ['duration_days', p.duration_days],
    ['task_limit_per_month', p.task_limit_per_month ?? 'unlimited'],
    ['max_enrollments', p.max_enrollments ?? 'unlimited'],
    ['enrollments_count', p.enrollments_count],
    ['allow_reenrollment', p.allow_reenrollment],
    ['created_at', p.created_at],
    ['updated_at', p.updated_at],
  ]);
}

const PROMOTION_FIELD_OPTIONS: Options = {
  name: { type: 'string' },
  status: { type: 'string' },
  'starts-at': { type: 'string' },
  'ends-at': { type: 'string' },
  'duration-days': { type: 'string' },
  'task-limit': { type: 'string' },
  'max-enrollments': { type: 'string' },
  'allow-reenrollment': { type: 'boolean' },
  'no-allow-reenrollment': { type: 'boolean' },
};

function promotionFields(values: Values): PromotionUpdate {
  const status = str(values, 'status');
  if (status !== undefined && !['active', 'paused', 'ended'].includes(status)) {
    throw new UsageError(`--status must be active, paused or ended, not "${status}"`);
  }
  if (values['allow-reenrollment'] && values['no-allow-reenrollment']) {
    throw new UsageError('--allow-reenrollment and --no-allow-reenrollment contradict each other');
  }
  return defined({
    name: str(values, 'name'),
    status: status as PromotionUpdate['status'],
    starts_at: instant(values, 'starts-at'),
    ends_at: instant(values, 'ends-at'),
    duration_days: integer(values, 'duration-days', { nullable: true }),
    task_limit_per_month: integer(values, 'task-limit', { nullable: true }),
    max_enrollments: integer(values, 'max-enrollments', { nullable: true }),
    allow_reenrollment: values['allow-reenrollment']
      ? true
      : values['no-allow-reenrollment']
        ? false
        : undefined,
  });
}

/** Wire field → the option that sets it, to point error messages at the user's own input. */
const FLAG_OF: Record<string, string> = {
  name: '--name',
  redirect_uris: '--redirect-uri',
  scopes: '--scope',
  scope: '--scope',
  email: '--email',
  password: '--password',
  id: '--id',
  partner_id: '--partner',
  status: '--status',
  starts_at: '--starts-at',
  ends_at: '--ends-at',
  duration_days: '--duration-days',
  task_limit_per_month: '--task-limit',
  max_enrollments: '--max-enrollments',
  allow_reenrollment: '--allow-reenrollment',
  tasks: '--tasks',
  idempotency_key: '--idempotency-key',
  occurred_at: '--occurred-at',
  client_id: '--client-id',
  account_id: '--account',
  frozen_time: '--frozen-time',
  limit: '--limit',
  cursor: '--cursor',
};

// --- commands -----------------------------------------------------------------------------------

export const COMMANDS: Record<string, Command> = {
  'partners create': {
    usage:
      'partners create --name <name> --redirect-uri <url> [--redirect-uri <url>…] [--scope <scope>…] [--sandbox]',
    summary: 'Register a partner (an OAuth client); prints its client secret once',
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      scope: { type: 'string', multiple: true },
      sandbox: { type: 'boolean' },
    },
    async run(admin, values) {
      const redirectUris = list(values, 'redirect-uri');
      if (!redirectUris?.length) throw new UsageError('--redirect-uri is required (repeat it for several)');
      const scopes = list(values, 'scope') as ('promotions:read' | 'promotions:write')[] | undefined;
      const p = await admin.partners.create(
        defined({
          name: required(values, 'name'),
          redirect_uris: redirectUris,
          scopes,
          sandbox: values.sandbox ? true : undefined,
        }),
      );
      return {
        json: p,
        text: `${record([
          ['id', p.id],
          ['name', p.name],
          ['client_id', p.client_id],
          ['client_secret', p.client_secret],
          ['redirect_uris', p.redirect_uris.join(' ')],
          ['scopes', p.scopes.join(' ')],
          ['sandbox', p.sandbox],
          ['created_at', p.created_at],
        ])}\n\nThe client secret is shown only now: store it.`,
      };
    },
  },
  'partners get': {
    usage: 'partners get <partner_id>',
    summary: 'Show a partner (without its secret)',
    options: {},
    args: ['partner_id'],
    async run(admin, _values, [id]) {
      const p = await admin.partners.get(id!);
      return {
        json: p,
        text: record([
          ['id', p.id],
          ['name', p.name],
          ['client_id', p.client_id],
          ['redirect_uris', p.redirect_uris.join(' ')],
          ['scopes', p.scopes.join(' ')],
          ['sandbox', p.sandbox],
          ['created_at', p.created_at],
        ]),
      };
    },
  },
  'accounts create': {
    usage: 'accounts create --email <email> --password <password>',
    summary: 'Create an account that partners can enroll',
    options: { email: { type: 'string' }, password: { type: 'string' } },
    async run(admin, values) {
      const a = await admin.accounts.create({
        email: required(values, 'email'),
        password: required(values, 'password'),
      });
      return { json: a, text: record(Object.entries(a) as [string, Cell][]) };
    },
  },
  'accounts get': {
    usage: 'accounts get <account_id>',
    summary: 'Show an account',
    options: {},
    args: ['account_id'],
    async run(admin, _values, [id]) {
      const a = await admin.accounts.get(id!);
      return { json: a, text: record(Object.entries(a) as [string, Cell][]) };
    },
  },
  'promotions create': {
    usage:
      'promotions create --id <id> --partner <partner_id> --name <name> [--duration-days N] [--task-limit N]\n' +
      '    [--max-enrollments N] [--starts-at T] [--ends-at T] [--allow-reenrollment] [--status active|paused|ended]',
    summary: 'Create a promotion',
    options: { id: { type: 'string' }, partner: { type: 'string' }, ...PROMOTION_FIELD_OPTIONS },
    async run(admin, values) {
      const fields = promotionFields(values);
      const p = await admin.promotions.create({
        ...fields,
        id: required(values, 'id'),
        partner_id: required(values, 'partner'),
        name: required(values, 'name'),
      });
      return { json: p, text: promotionRecord(p) };
    },
  },
  'promotions list': {
    usage: 'promotions list [--partner <partner_id>] [--limit N] [--cursor <cursor>]',
    summary: 'List promotions in id order',
    options: { partner: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
    async run(admin, values) {
      const page = await admin.promotions.list(
        defined({
          partner_id: str(values, 'partner'),
          limit: integer(values, 'limit') ?? undefined,
          cursor: str(values, 'cursor'),
        }),
      );
      return {
        json: page,
        text:
          table(
            ['ID', 'NAME', 'STATUS', 'ENROLLED', 'MAX', 'TASKS/MONTH', 'DAYS', 'PARTNER'],
            page.data.map((p) => [
              p.id,
              p.name,
              p.status,
              p.enrollments_count,
              p.max_enrollments ?? '∞',
              p.task_limit_per_month ?? '∞',
              p.duration_days ?? '∞',
              p.partner_id,
            ]),
          ) + more(page.next_cursor, 'promotions list'),
      };
    },
  },
  'promotions get': {
    usage: 'promotions get <promotion_id>',
    summary: 'Show a promotion',
    options: {},
    args: ['promotion_id'],
    async run(admin, _values, [id]) {
      const p = await admin.promotions.get(id!);
      return { json: p, text: promotionRecord(p) };
    },
  },
  'promotions update': {
    usage:
      'promotions update <promotion_id> [--name …] [--status …] [--duration-days N|none] [--task-limit N|none]\n' +
      '    [--max-enrollments N|none] [--starts-at T|none] [--ends-at T|none] [--[no-]allow-reenrollment]',
    summary: 'Change a promotion (only the fields given)',
    options: PROMOTION_FIELD_OPTIONS,
    args: ['promotion_id'],
    async run(admin, values, [id]) {
      const fields = promotionFields(values);
      if (Object.keys(fields).length === 0) throw new UsageError('give at least one field to change');
      const p = await admin.promotions.update(id!, fields);
      return { json: p, text: promotionRecord(p) };
    },
  },
  'enrollments list': {
    usage:
      'enrollments list --promotion <promotion_id> [--status enrolled|expired|unenrolled] [--limit N] [--cursor C]',
    summary: "A promotion's enrollments with their usage this cycle",
    options: {
      promotion: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
    },
    async run(admin, values) {
      const status = str(values, 'status');
      if (status !== undefined && !['enrolled', 'expired', 'unenrolled'].includes(status)) {
        throw new UsageError(`--status must be enrolled, expired or unenrolled, not "${status}"`);
      }
      const promotion = required(values, 'promotion');
      const page = await admin.promotions.listEnrollments(
        promotion,
        defined({
          status: status as 'enrolled' | 'expired' | 'unenrolled' | undefined,
          limit: integer(values, 'limit') ?? undefined,
          cursor: str(values, 'cursor'),
        }),
      );
      return {
        json: page,
        text:
          table(
            ['ENROLLMENT', 'ACCOUNT', 'STATUS', 'USED', 'LIMIT', 'CYCLE END', 'EXPIRES'],
            page.data.map((e) => [
              e.enrollment_id,
              e.account_id,
              e.status,
              e.tasks_used_this_month,
              e.task_limit_per_month ?? '∞',
              e.billing_cycle_end,
              e.expiration_date ?? 'never',
            ]),
          ) + more(page.next_cursor, `enrollments list --promotion ${promotion}`),
      };
    },
  },
  'enrollments events': {
    usage: 'enrollments events <enrollment_id> [--limit N] [--cursor C]',
    summary: "An enrollment's events (enrolled, usage, limit reached, …)",
    options: { limit: { type: 'string' }, cursor: { type: 'string' } },
    args: ['enrollment_id'],
    async run(admin, values, [id]) {
      const page = await admin.enrollments.listEvents(
        id!,
        defined({ limit: integer(values, 'limit') ?? undefined, cursor: str(values, 'cursor') }),
      );
      return {
        json: page,
        text:
          table(
            ['AT', 'TYPE', 'ACTOR', 'DATA'],
            page.data.map((e) => [
              e.created_at,
              e.type,
              e.actor_id ? `${e.actor_type} ${e.actor_id}` : e.actor_type,
              JSON.stringify(e.data),
            ]),
          ) + more(page.next_cursor, `enrollments events ${id}`),
      };
    },
  },
  'usage record': {
    usage: 'usage record <enrollment_id> --tasks N [--idempotency-key <key>] [--occurred-at T]',
    summary: 'Record tasks used by an enrollment (capped at its monthly limit)',
    options: {
      tasks: { type: 'string' },
      'idempotency-key': { type: 'string' },
      'occurred-at': { type: 'string' },
    },
    args: ['enrollment_id'],
    async run(admin, values, [id]) {
      const tasks = integer(values, 'tasks');
      if (tasks === undefined || tasks === null) throw new UsageError('--tasks is required');
      const result = await admin.enrollments.recordUsage(
        id!,
        defined({
          tasks,
          idempotency_key: str(values, 'idempotency-key'),
          occurred_at: instant(values, 'occurred-at') ?? undefined,
        }),
      );
      return {
        json: result,
        text: record([
          ['accepted', result.accepted],
          ['rejected', result.rejected],
          ['tasks_used_this_month', result.tasks_used_this_month],
          ['task_limit_per_month', result.task_limit_per_month ?? 'unlimited'],
        ]),
      };
    },
  },
  'tokens mint': {
    usage: 'tokens mint --client-id <client_id> [--account <account_id>] --scope "<scope> …"',
    summary: 'Mint an access token: a user token with --account, else an app token',
    options: {
      'client-id': { type: 'string' },
      account: { type: 'string' },
      scope: { type: 'string', multiple: true },
    },
    async run(admin, values) {
      const scope = list(values, 'scope');
      if (!scope?.length)
        throw new UsageError('--scope is required, e.g. --scope "promotions:read promotions:write"');
      const t = await admin.tokens.create(
        defined({
          client_id: required(values, 'client-id'),
          account_id: str(values, 'account'),
          scope: scope.join(' '),
        }),
      );
      return {
        json: t,
        text: record([
          ['access_token', t.access_token],
          ['token_type', t.token_type],
          ['expires_in', `${t.expires_in} s`],
          ['scope', t.scope],
          ...(t.refresh_token ? ([['refresh_token', t.refresh_token]] as [string, Cell][]) : []),
        ]),
      };
    },
  },
  ...clockCommands({
    usageError: (message) => new UsageError(message),
    required,
    instant,
  }),
};

export function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    'Usage: npm run admin -- <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    `  --url <url>      the server (default $PROMOTIONS_URL or ${DEFAULT_URL})`,
    '  --token <token>  the admin token (default $ADMIN_TOKEN, else the file $DATA_DIR/admin-token)',
    '  --json           print the raw JSON answer',
    "  -h, --help       this help, or a command's with `<command> --help`",
    '',
    'Exit codes: 0 ok, 1 the API answered an error, 2 usage error, 3 the server could not be reached.',
  ].join('\n');
}

/** The admin token: --token, then ADMIN_TOKEN, then the file the server writes on first start. */
function resolveToken(values: Values, env: NodeJS.ProcessEnv): string | undefined {
  const given = str(values, 'token') ?? env.ADMIN_TOKEN;
  if (given) return given;
  const file = join(env.DATA_DIR ?? './data', 'admin-token');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}

function describeApiError(error: PromotionsApiError): string[] {
  const field = error.source?.pointer?.split('/')[1];
  const flag = field ? FLAG_OF[field] : undefined;
  const where = flag ? ` (${flag})` : error.source?.parameter ? ` (${error.source.parameter})` : '';
  const lines = [`error: ${error.detail}${where}`, `  ${error.status} ${error.code}`];
  if (error.status === 401) {
    lines.push(
      'hint: pass --token or set ADMIN_TOKEN (the server prints the token on first start and keeps it in DATA_DIR/admin-token)',
    );
  }
  if (error.code === 'admin_disabled') {
    lines.push('hint: start the server with ADMIN_TOKEN set to enable the admin API');
  }
  if (error.retryAfter !== undefined) lines.push(`hint: retry after ${error.retryAfter} s`);
  return lines;
}

/** Runs one CLI invocation and returns its exit code. */
export async function run(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const first = parseArgs({ args: argv, options: GLOBAL_OPTIONS, strict: false, allowPositionals: true });
  const [resource, action] = first.positionals;
  const name = `${resource ?? ''} ${action ?? ''}`;
  const command = COMMANDS[name];
  if (!command) {
    if (!resource || first.values.help) {
      io.out(helpText());
      return resource || first.values.help ? EXIT.ok : EXIT.usage;
    }
    io.err(`error: unknown command "${first.positionals.slice(0, 2).join(' ')}"\n\n${helpText()}`);
    return EXIT.usage;
  }

  let values: Values;
  let args: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      strict: true,
      allowPositionals: true,
    });
    values = parsed.values as Values;
    args = parsed.positionals.slice(2);
    if (values.help) {
      io.out(`Usage: npm run admin -- ${command.usage}\n\n${command.summary}.`);
      return EXIT.ok;
    }
    const expected = command.args ?? [];
    if (args.length < expected.length) throw new UsageError(`missing <${expected[args.length]}>`);
    if (args.length > expected.length) throw new UsageError(`unexpected argument "${args[expected.length]}"`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(`error: ${message}\nUsage: npm run admin -- ${command.usage}`);
    return EXIT.usage;
  }

  const baseUrl = str(values, 'url') ?? env.PROMOTIONS_URL ?? DEFAULT_URL;
  const adminToken = resolveToken(values, env);
  if (!adminToken) {
    io.err(
      'error: no admin token\nhint: pass --token or set ADMIN_TOKEN (the server prints the token on first start and keeps it in DATA_DIR/admin-token)',
    );
    return EXIT.usage;
  }
  const admin = createAdminClient({ baseUrl, adminToken, retries: 2, maxDelayMs: 5_000 });

  try {
    const result = await command.run(admin, values, args, { baseUrl });
    io.out(values.json ? JSON.stringify(result.json, null, 2) : result.text);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\nUsage: npm run admin -- ${command.usage}`);
      return EXIT.usage;
    }
    if (error instanceof PromotionsApiError) {
      if (values.json) io.out(JSON.stringify(error.body, null, 2));
      io.err(describeApiError(error).join('\n'));
      return EXIT.api;
    }
    if (error instanceof PromotionsConnectionError) {
      io.err(
        `error: ${error.message}\nhint: is the server running? Set --url or PROMOTIONS_URL (now ${baseUrl})`,
      );
      return EXIT.connection;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };
  process.exitCode = await run(process.argv.slice(2), process.env, io);
}

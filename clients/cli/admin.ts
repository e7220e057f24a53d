#!/usr/bin/env node
/**
 * The operator's CLI over the admin API: `npm run admin -- <resource> <action> [options]`.
 * Built on the typed client in clients/typescript. Exit codes: 0 ok, 1 the API answered an
 * error, 2 usage error, 3 the server could not be reached.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readAdminTokenFile } from '../../src/admin/admin-token.js';
import { createAdminClient, PromotionsApiError, PromotionsConnectionError } from '../typescript/src/index.js';
import { accountCommands } from './accounts.js';
import { applyCommands } from './apply.js';
import { auditCommands } from './audit.js';
import { clockCommands } from './clocks.js';
import {
  CommandFailed,
  type Commands,
  type Options,
  type Progress,
  str,
  UsageError,
  type Values,
} from './command.js';
import { enrollmentCommands } from './enrollments.js';
import { exportCommands } from './exports.js';
import { meteringCommands } from './metering.js';
import { operatorCommands } from './operators.js';
import { partnerCommands } from './partners.js';
import { promotionCommands } from './promotions.js';
import { tokenCommands } from './tokens.js';
import { usageCommands } from './usage.js';
import { webhookCommands } from './webhooks.js';

export const EXIT = { ok: 0, api: 1, usage: 2, connection: 3 } as const;
const DEFAULT_URL = 'http://127.0.0.1:3000';
/** The server's default DATA_DIR (src/config.ts). */
const DEFAULT_DATA_DIR = './data';

/** Every command, by `<resource> <action>`: one file per command group, listed in help order. */
export const COMMANDS: Commands = {
  ...partnerCommands,
  ...accountCommands,
  ...promotionCommands,
  ...enrollmentCommands,
  ...exportCommands,
  ...usageCommands,
  ...meteringCommands,
  ...tokenCommands,
  ...webhookCommands,
  ...clockCommands,
  ...applyCommands,
  ...operatorCommands,
  ...auditCommands,
};

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Progress of long commands (usage ingest); default: nowhere. */
  progress?: Progress;
  /** Where a command streams raw bytes (an export); default process.stdout. */
  stdout?: NodeJS.WritableStream;
}

const GLOBAL_OPTIONS: Options = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

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
  external_id: '--external-id',
  frozen_time: '--frozen-time',
  limit: '--limit',
  cursor: '--cursor',
  role: '--role',
  actor: '--actor',
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
    '  --token <token>  the admin token or an operator API key (default $ADMIN_TOKEN, else $DATA_DIR/admin-token)',
    '  --json           print the raw JSON answer',
    "  -h, --help       this help, or a command's with `<command> --help`",
    '',
    'Exit codes: 0 ok, 1 the API answered an error (usage ingest: or rejected an event), 2 usage error, 3 the server could not be reached.',
  ].join('\n');
}

/** The admin token: --token, then ADMIN_TOKEN, then the file the server writes on first start. */
function resolveToken(values: Values, env: NodeJS.ProcessEnv): string | undefined {
  const given = str(values, 'token') ?? env.ADMIN_TOKEN;
  if (given) return given;
  return readAdminTokenFile(env.DATA_DIR ?? DEFAULT_DATA_DIR) || undefined;
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
  if (error.code === 'permission_denied' && error.detail.startsWith('This action needs the')) {
    lines.push('hint: ask an owner for a key with a higher role (npm run admin -- keys create …)');
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
  // `<resource> <action>`, or a one-word command (`apply`) followed by its arguments.
  const single = resource !== undefined && COMMANDS[resource] !== undefined;
  const words = single ? 1 : 2;
  const name = single ? resource : `${resource ?? ''} ${action ?? ''}`;
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
    args = parsed.positionals.slice(words);
    if (values.help) {
      io.out(
        `Usage: npm run admin -- ${command.usage}\n\n${command.summary}.${command.help ? `\n\n${command.help}` : ''}`,
      );
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
    const progress = io.progress ?? { write: () => {}, isTTY: false };
    const result = await command.run(admin, values, args, {
      baseUrl,
      env,
      progress,
      stdout: io.stdout ?? process.stdout,
    });
    // null: the command wrote its own output (an export to stdout).
    if (result) io.out(values.json ? JSON.stringify(result.json, null, 2) : result.text);
    return result?.exitCode ?? EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\nUsage: npm run admin -- ${command.usage}`);
      return EXIT.usage;
    }
    if (error instanceof CommandFailed) {
      if (values.json) io.out(JSON.stringify(error.json, null, 2));
      io.err(error.lines.join('\n'));
      return EXIT.api;
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
  const io: Io = {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    progress: { write: (t) => process.stderr.write(t), isTTY: Boolean(process.stderr.isTTY) },
  };
  process.exitCode = await run(process.argv.slice(2), process.env, io);
}

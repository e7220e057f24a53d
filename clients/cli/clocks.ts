/**
 * `clocks …` commands of the operator's CLI (CONTRACT §9): a sandbox partner's test clocks, driven
 * with an app token the admin API mints for that partner (`--client-id`), listed in admin.ts's
 * COMMANDS.
 */
import {
  type AdminClient,
  createPromotionsClient,
  type PromotionsClient,
  type TestClock,
} from '../typescript/src/index.js';
import { type Commands, instant, required, UsageError, type Values } from './command.js';
import { type Cell, record, table } from './table.js';

const clockRecord = (c: TestClock) =>
  record([
    ['id', c.id],
    ['frozen_time', c.frozen_time],
    ['name', c.name],
    ['status', c.status],
    ['created_at', c.created_at],
  ]);

function buildClockCommands(): Commands {
  /** The partner's own view of /v2: an app token with promotions:write, minted by the admin API. */
  async function partner(admin: AdminClient, values: Values, baseUrl: string): Promise<PromotionsClient> {
    const token = await admin.tokens.create({
      client_id: required(values, 'client-id'),
      scope: 'promotions:write',
    });
    return createPromotionsClient({
      baseUrl,
      accessToken: token.access_token,
      retries: 2,
      maxDelayMs: 5_000,
    });
  }
  const frozenTime = (values: Values) => {
    const at = instant(values, 'frozen-time');
    if (!at) throw new UsageError('--frozen-time is required, e.g. --frozen-time 2026-01-31T10:00:00Z');
    return at;
  };
  const clientId = { 'client-id': { type: 'string' as const } };

  return {
    'clocks create': {
      usage: 'clocks create --client-id <client_id> --frozen-time <date-time> [--name <name>]',
      summary: 'Create a test clock for a sandbox partner, frozen at --frozen-time',
      options: { ...clientId, 'frozen-time': { type: 'string' }, name: { type: 'string' } },
      async run(admin, values, _args, { baseUrl }) {
        const at = frozenTime(values);
        const name = values.name as string | undefined;
        const clock = await (await partner(admin, values, baseUrl)).testClocks.create(
          at,
          name ? { name } : {},
        );
        return { json: clock, text: clockRecord(clock) };
      },
    },
    'clocks list': {
      usage: 'clocks list --client-id <client_id>',
      summary: "List a sandbox partner's test clocks",
      options: clientId,
      async run(admin, values, _args, { baseUrl }) {
        const page = await (await partner(admin, values, baseUrl)).testClocks.list({ limit: 100 });
        return {
          json: page,
          text: table(
            ['id', 'frozen_time', 'status', 'name'],
            page.data.map((c) => [c.id, c.frozen_time, c.status, c.name] as Cell[]),
          ),
        };
      },
    },
    'clocks advance': {
      usage: 'clocks advance <clock_id> --client-id <client_id> --frozen-time <date-time>',
      summary: 'Move a test clock forward (at most 2 years); returns when everything due has happened',
      options: { ...clientId, 'frozen-time': { type: 'string' } },
      args: ['clock_id'],
      async run(admin, values, [id], { baseUrl }) {
        const at = frozenTime(values);
        const clock = await (await partner(admin, values, baseUrl)).testClocks.advance(id!, at);
        return { json: clock, text: clockRecord(clock) };
      },
    },
    'clocks account': {
      usage: 'clocks account <clock_id> --client-id <client_id> [--email <email>]',
      summary: 'Create a test account on a clock and print a user token for it',
      options: { ...clientId, email: { type: 'string' } },
      args: ['clock_id'],
      async run(admin, values, [id], { baseUrl }) {
        const email = values.email as string | undefined;
        const account = await (await partner(admin, values, baseUrl)).testClocks.createAccount(
          id!,
          email ? { email } : {},
        );
        return {
          json: account,
          text: record([
            ['account_id', account.account_id],
            ['email', account.email],
            ['access_token', account.access_token],
            ['scope', account.scope],
            ['expires_in', `${account.expires_in} s`],
          ]),
        };
      },
    },
    'clocks delete': {
      usage: 'clocks delete <clock_id> --client-id <client_id>',
      summary: 'Delete a test clock with its accounts, enrollments, usage and events',
      options: clientId,
      args: ['clock_id'],
      async run(admin, values, [id], { baseUrl }) {
        await (await partner(admin, values, baseUrl)).testClocks.delete(id!);
        return { json: { deleted: id }, text: `deleted ${id}` };
      },
    },
  };
}

export const clockCommands: Commands = buildClockCommands();

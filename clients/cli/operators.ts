/**
 * `operators …` and `keys …` commands of the operator's CLI (CONTRACT §11): the people who run
 * the server, their roles and admin API keys. Owners only; listed in admin.ts's COMMANDS.
 */
import type { ApiKey, KeyRole, Operator, Role } from '../typescript/src/index.js';
import {
  type Commands,
  defined,
  more,
  PAGE_OPTIONS,
  pageQuery,
  required,
  str,
  UsageError,
  type Values,
} from './command.js';
import { record, table } from './table.js';

const ROLES = ['viewer', 'editor', 'owner'];
/** An API key may also be a `meter` key: the two metering endpoints only (CONTRACT §12). */
const KEY_ROLES = [...ROLES, 'meter'];

function role(values: Values, { optional = false } = {}): Role | undefined {
  return oneOf(values, ROLES, optional) as Role | undefined;
}

function oneOf(values: Values, allowed: string[], optional: boolean): string | undefined {
  const value = str(values, 'role');
  if (value === undefined && optional) return undefined;
  if (value === undefined || !allowed.includes(value)) {
    const names = `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
    throw new UsageError(`--role must be ${names}${value === undefined ? '' : `, not "${value}"`}`);
  }
  return value;
}

const operatorRecord = (o: Operator) =>
  record([
    ['id', o.id],
    ['email', o.email],
    ['role', o.role],
    ['disabled', o.disabled],
    ['must_change_password', o.must_change_password],
    ['created_at', o.created_at],
    ['updated_at', o.updated_at],
  ]);

const keyRecord = (k: ApiKey, value?: string) =>
  record([
    ['id', k.id],
    ['operator_id', k.operator_id],
    ['name', k.name],
    ['role', k.role],
    ...(value === undefined ? [] : ([['key', value]] as [string, string][])),
    ['created_at', k.created_at],
    ['last_used_at', k.last_used_at],
    ['revoked_at', k.revoked_at],
  ]);

export const operatorCommands: Commands = {
  'operators create': {
    usage: 'operators create --email <email> --password <password> --role viewer|editor|owner',
    summary: 'Create an operator who signs in to /console (the first one with ADMIN_TOKEN)',
    options: { email: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' } },
    async run(admin, values) {
      const o = await admin.operators.create({
        email: required(values, 'email'),
        password: required(values, 'password'),
        role: role(values)!,
      });
      return { json: o, text: operatorRecord(o) };
    },
  },
  'operators list': {
    usage: 'operators list [--limit N] [--cursor C]',
    summary: 'List operators by email',
    options: { ...PAGE_OPTIONS },
    async run(admin, values) {
      const page = await admin.operators.list(pageQuery(values));
      return {
        json: page,
        text:
          table(
            ['ID', 'EMAIL', 'ROLE', 'DISABLED'],
            page.data.map((o) => [o.id, o.email, o.role, o.disabled]),
          ) + more(page.next_cursor, 'operators list'),
      };
    },
  },
  'operators update': {
    usage: 'operators update <operator_id> [--role viewer|editor|owner] [--disable | --enable]',
    summary: "Change an operator's role, or disable (keys and sessions stop working) or enable it",
    options: { role: { type: 'string' }, disable: { type: 'boolean' }, enable: { type: 'boolean' } },
    args: ['operator_id'],
    async run(admin, values, [id]) {
      if (values.disable && values.enable)
        throw new UsageError('--disable and --enable contradict each other');
      const body = defined({
        role: role(values, { optional: true }),
        disabled: values.disable ? true : values.enable ? false : undefined,
      });
      if (Object.keys(body).length === 0) throw new UsageError('give --role, --disable or --enable');
      const o = await admin.operators.update(id!, body);
      return { json: o, text: operatorRecord(o) };
    },
  },
  'operators reset-password': {
    usage: 'operators reset-password <operator_id>',
    summary:
      'Give an operator a temporary password (printed once) to replace at the next console sign-in; owners only',
    options: {},
    args: ['operator_id'],
    async run(admin, _values, [id]) {
      const o = await admin.operators.resetPassword(id!);
      return {
        json: o,
        text: `${operatorRecord(o)}\ntemporary_password  ${o.temporary_password}\n\nThe temporary password is shown only now: give it to them; they choose a new one when they sign in.`,
      };
    },
  },
  'operators password': {
    usage: 'operators password --current-password <password> --new-password <password>',
    summary:
      'Change your own password (call with your operator API key as --token; ADMIN_TOKEN has no password)',
    options: { 'current-password': { type: 'string' }, 'new-password': { type: 'string' } },
    async run(admin, values) {
      const o = await admin.operators.changeOwnPassword({
        current_password: required(values, 'current-password'),
        new_password: required(values, 'new-password'),
      });
      return { json: o, text: `${operatorRecord(o)}\n\nYour password is changed.` };
    },
  },
  'keys create': {
    usage: 'keys create --operator <operator_id> --name <name> [--role viewer|editor|owner|meter]',
    summary: "Create an admin API key for an operator (printed once; its role at most the operator's)",
    options: { operator: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
    async run(admin, values) {
      const k = await admin.operators.createApiKey(
        required(values, 'operator'),
        defined({
          name: required(values, 'name'),
          role: oneOf(values, KEY_ROLES, true) as KeyRole | undefined,
        }),
      );
      return {
        json: k,
        text: `${keyRecord(k, k.key)}\n\nThe key is shown only now: use it as --token (or ADMIN_TOKEN) and store it.`,
      };
    },
  },
  'keys list': {
    usage: 'keys list --operator <operator_id> [--limit N] [--cursor C]',
    summary: "An operator's API keys, newest first (never their values)",
    options: { operator: { type: 'string' }, ...PAGE_OPTIONS },
    async run(admin, values) {
      const operator = required(values, 'operator');
      const page = await admin.operators.listApiKeys(operator, pageQuery(values));
      return {
        json: page,
        text:
          table(
            ['ID', 'NAME', 'ROLE', 'LAST USED', 'REVOKED'],
            page.data.map((k) => [k.id, k.name, k.role, k.last_used_at, k.revoked_at]),
          ) + more(page.next_cursor, `keys list --operator ${operator}`),
      };
    },
  },
  'keys revoke': {
    usage: 'keys revoke <key_id> --operator <operator_id>',
    summary: 'Revoke an admin API key: it stops working at once',
    options: { operator: { type: 'string' } },
    args: ['key_id'],
    async run(admin, values, [keyId]) {
      await admin.operators.revokeApiKey(required(values, 'operator'), keyId!);
      return { json: { revoked: keyId }, text: `Revoked ${keyId}.` };
    },
  },
};

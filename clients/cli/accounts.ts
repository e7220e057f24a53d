import { type Commands, defined, required, str, UsageError } from './command.js';
import { type Cell, record } from './table.js';

export const accountCommands: Commands = {
  'accounts create': {
    usage: 'accounts create --email <email> --password <password> [--external-id <id>]',
    summary: "Create an account that partners can enroll (--external-id: the platform's own id of it)",
    options: { email: { type: 'string' }, password: { type: 'string' }, 'external-id': { type: 'string' } },
    async run(admin, values) {
      const a = await admin.accounts.create(
        defined({
          email: required(values, 'email'),
          password: required(values, 'password'),
          external_id: str(values, 'external-id'),
        }),
      );
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
  'accounts update': {
    usage: "accounts update <account_id> --external-id <id|''>",
    summary: "Set or change an account's external id ('' clears it)",
    options: { 'external-id': { type: 'string' } },
    args: ['account_id'],
    async run(admin, values, [id]) {
      const externalId = str(values, 'external-id');
      if (externalId === undefined) throw new UsageError("--external-id is required ('' clears it)");
      const a = await admin.accounts.update(id!, { external_id: externalId === '' ? null : externalId });
      return { json: a, text: record(Object.entries(a) as [string, Cell][]) };
    },
  },
};

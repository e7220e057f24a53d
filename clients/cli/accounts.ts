import { type Commands, required } from './command.js';
import { type Cell, record } from './table.js';

export const accountCommands: Commands = {
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
};

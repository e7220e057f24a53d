import { type Commands, defined, list, required, str, UsageError } from './command.js';
import { type Cell, record } from './table.js';

export const tokenCommands: Commands = {
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
};

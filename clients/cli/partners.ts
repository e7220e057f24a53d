import type { Partner } from '../typescript/src/index.js';
import {
  type Commands,
  defined,
  list,
  more,
  PAGE_OPTIONS,
  pageQuery,
  required,
  str,
  UsageError,
} from './command.js';
import { record, table } from './table.js';

const partnerRecord = (p: Partner, clientSecret?: string) =>
  record([
    ['id', p.id],
    ['name', p.name],
    ['client_id', p.client_id],
    ...(clientSecret === undefined ? [] : ([['client_secret', clientSecret]] as [string, string][])),
    ['redirect_uris', p.redirect_uris.join(' ')],
    ['scopes', p.scopes.join(' ')],
    ['sandbox', p.sandbox],
    ['status', p.status],
    ['created_at', p.created_at],
  ]);

export const partnerCommands: Commands = {
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
        text: `${partnerRecord(p, p.client_secret)}\n\nThe client secret is shown only now: store it.`,
      };
    },
  },
  'partners list': {
    usage: 'partners list [--limit N] [--cursor C]',
    summary: 'List partners by name',
    options: { ...PAGE_OPTIONS },
    async run(admin, values) {
      const page = await admin.partners.list(pageQuery(values));
      return {
        json: page,
        text:
          table(
            ['ID', 'NAME', 'CLIENT ID', 'SANDBOX', 'STATUS'],
            page.data.map((p) => [p.id, p.name, p.client_id, p.sandbox, p.status]),
          ) + more(page.next_cursor, 'partners list'),
      };
    },
  },
  'partners update': {
    usage: 'partners update <partner_id> [--name <name>] [--redirect-uri <url>…] [--scope <scope>…]',
    summary: "Change a partner's name, redirect URIs (the list replaces the old one) or scopes; owners only",
    options: {
      name: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      scope: { type: 'string', multiple: true },
    },
    args: ['partner_id'],
    async run(admin, values, [id]) {
      const body = defined({
        name: str(values, 'name'),
        redirect_uris: list(values, 'redirect-uri'),
        scopes: list(values, 'scope') as ('promotions:read' | 'promotions:write')[] | undefined,
      });
      if (Object.keys(body).length === 0) throw new UsageError('give --name, --redirect-uri or --scope');
      const p = await admin.partners.update(id!, body);
      return { json: p, text: partnerRecord(p) };
    },
  },
  'partners disable': {
    usage: 'partners disable <partner_id>',
    summary:
      'Switch a partner off: its tokens and client credentials are refused at once, its enrollments kept',
    options: {},
    args: ['partner_id'],
    async run(admin, _values, [id]) {
      const p = await admin.partners.update(id!, { status: 'disabled' });
      return { json: p, text: partnerRecord(p) };
    },
  },
  'partners enable': {
    usage: 'partners enable <partner_id>',
    summary: 'Switch a disabled partner on again: its tokens (those not expired) and credentials work',
    options: {},
    args: ['partner_id'],
    async run(admin, _values, [id]) {
      const p = await admin.partners.update(id!, { status: 'enabled' });
      return { json: p, text: partnerRecord(p) };
    },
  },
  'partners rotate-secret': {
    usage: 'partners rotate-secret <partner_id>',
    summary: 'Give a partner a new client secret (printed once; the old one stops working); owners only',
    options: {},
    args: ['partner_id'],
    async run(admin, _values, [id]) {
      const p = await admin.partners.rotateSecret(id!);
      return {
        json: p,
        text: `${partnerRecord(p, p.client_secret)}\n\nThe new client secret is shown only now: store it.`,
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
      return { json: p, text: partnerRecord(p) };
    },
  },
};

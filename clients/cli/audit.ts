/** `audit list` of the operator's CLI (CONTRACT §11): who changed what, newest first. */
import { type Commands, defined, instant, more, PAGE_OPTIONS, pageQuery, str } from './command.js';
import { table } from './table.js';

const summary = (changes: Record<string, { before: unknown; after: unknown }>) =>
  Object.entries(changes)
    .map(([field, { before, after }]) => `${field}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`)
    .join('; ');

export const auditCommands: Commands = {
  'audit list': {
    usage:
      'audit list [--actor <operator id|email|admin_token>] [--action A] [--object-type T] [--object-id ID]\n' +
      '    [--since T] [--until T] [--limit N] [--cursor C]',
    summary: 'The audit log: who changed what, newest first',
    options: {
      actor: { type: 'string' },
      action: { type: 'string' },
      'object-type': { type: 'string' },
      'object-id': { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      ...PAGE_OPTIONS,
    },
    async run(admin, values) {
      const page = await admin.auditLog.list(
        defined({
          actor: str(values, 'actor'),
          action: str(values, 'action'),
          object_type: str(values, 'object-type'),
          object_id: str(values, 'object-id'),
          since: instant(values, 'since') ?? undefined,
          until: instant(values, 'until') ?? undefined,
          ...pageQuery(values),
        }),
      );
      return {
        json: page,
        text:
          table(
            ['AT', 'ACTOR', 'VIA', 'ACTION', 'OBJECT', 'CHANGES'],
            page.data.map((e) => [
              e.at,
              e.actor.email ?? e.actor.kind,
              e.via,
              e.action,
              `${e.object_type} ${e.object_id}`,
              summary(e.changes),
            ]),
          ) + more(page.next_cursor, 'audit list'),
      };
    },
  },
};

import { type Commands, defined, instant, integer, str, UsageError } from './command.js';
import { record } from './table.js';

export const usageCommands: Commands = {
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
};

import {
  type Commands,
  defined,
  more,
  PAGE_OPTIONS,
  pageQuery,
  required,
  str,
  UsageError,
} from './command.js';
import { table } from './table.js';

export const enrollmentCommands: Commands = {
  'enrollments list': {
    usage:
      'enrollments list --promotion <promotion_id> [--status enrolled|expired|unenrolled] [--limit N] [--cursor C]',
    summary: "A promotion's enrollments with their usage this cycle",
    options: { promotion: { type: 'string' }, status: { type: 'string' }, ...PAGE_OPTIONS },
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
          ...pageQuery(values),
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
    options: PAGE_OPTIONS,
    args: ['enrollment_id'],
    async run(admin, values, [id]) {
      const page = await admin.enrollments.listEvents(id!, pageQuery(values));
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
};

import type { Promotion, PromotionUpdate } from '../typescript/src/index.js';
import {
  type Commands,
  defined,
  instant,
  integer,
  more,
  type Options,
  PAGE_OPTIONS,
  pageQuery,
  required,
  str,
  UsageError,
  type Values,
} from './command.js';
import { record, table } from './table.js';

function promotionRecord(p: Promotion): string {
  return record([
    ['id', p.id],
    ['name', p.name],
    ['partner_id', p.partner_id],
    ['status', p.status],
    ['starts_at', p.starts_at],
    ['ends_at', p.ends_at],
    ['duration_days', p.duration_days],
    ['task_limit_per_month', p.task_limit_per_month ?? 'unlimited'],
    ['max_enrollments', p.max_enrollments ?? 'unlimited'],
    ['enrollments_count', p.enrollments_count],
    ['allow_reenrollment', p.allow_reenrollment],
    ['created_at', p.created_at],
    ['updated_at', p.updated_at],
  ]);
}

const PROMOTION_FIELD_OPTIONS: Options = {
  name: { type: 'string' },
  status: { type: 'string' },
  'starts-at': { type: 'string' },
  'ends-at': { type: 'string' },
  'duration-days': { type: 'string' },
  'task-limit': { type: 'string' },
  'max-enrollments': { type: 'string' },
  'allow-reenrollment': { type: 'boolean' },
  'no-allow-reenrollment': { type: 'boolean' },
};

function promotionFields(values: Values): PromotionUpdate {
  const status = str(values, 'status');
  if (status !== undefined && !['active', 'paused', 'ended'].includes(status)) {
    throw new UsageError(`--status must be active, paused or ended, not "${status}"`);
  }
  if (values['allow-reenrollment'] && values['no-allow-reenrollment']) {
    throw new UsageError('--allow-reenrollment and --no-allow-reenrollment contradict each other');
  }
  return defined({
    name: str(values, 'name'),
    status: status as PromotionUpdate['status'],
    starts_at: instant(values, 'starts-at'),
    ends_at: instant(values, 'ends-at'),
    duration_days: integer(values, 'duration-days', { nullable: true }),
    task_limit_per_month: integer(values, 'task-limit', { nullable: true }),
    max_enrollments: integer(values, 'max-enrollments', { nullable: true }),
    allow_reenrollment: values['allow-reenrollment']
      ? true
      : values['no-allow-reenrollment']
        ? false
        : undefined,
  });
}

export const promotionCommands: Commands = {
  'promotions create': {
    usage:
      'promotions create --id <id> --partner <partner_id> --name <name> [--duration-days N] [--task-limit N]\n' +
      '    [--max-enrollments N] [--starts-at T] [--ends-at T] [--allow-reenrollment] [--status active|paused|ended]',
    summary: 'Create a promotion',
    options: { id: { type: 'string' }, partner: { type: 'string' }, ...PROMOTION_FIELD_OPTIONS },
    async run(admin, values) {
      const fields = promotionFields(values);
      const p = await admin.promotions.create({
        ...fields,
        id: required(values, 'id'),
        partner_id: required(values, 'partner'),
        name: required(values, 'name'),
      });
      return { json: p, text: promotionRecord(p) };
    },
  },
  'promotions list': {
    usage: 'promotions list [--partner <partner_id>] [--limit N] [--cursor <cursor>]',
    summary: 'List promotions in id order',
    options: { partner: { type: 'string' }, ...PAGE_OPTIONS },
    async run(admin, values) {
      const page = await admin.promotions.list(
        defined({ partner_id: str(values, 'partner'), ...pageQuery(values) }),
      );
      return {
        json: page,
        text:
          table(
            ['ID', 'NAME', 'STATUS', 'ENROLLED', 'MAX', 'TASKS/MONTH', 'DAYS', 'PARTNER'],
            page.data.map((p) => [
              p.id,
              p.name,
              p.status,
              p.enrollments_count,
              p.max_enrollments ?? '∞',
              p.task_limit_per_month ?? '∞',
              p.duration_days ?? '∞',
              p.partner_id,
            ]),
          ) + more(page.next_cursor, 'promotions list'),
      };
    },
  },
  'promotions get': {
    usage: 'promotions get <promotion_id>',
    summary: 'Show a promotion',
    options: {},
    args: ['promotion_id'],
    async run(admin, _values, [id]) {
      const p = await admin.promotions.get(id!);
      return { json: p, text: promotionRecord(p) };
    },
  },
  'promotions update': {
    usage:
      'promotions update <promotion_id> [--name …] [--status …] [--duration-days N|none] [--task-limit N|none]\n' +
      '    [--max-enrollments N|none] [--starts-at T|none] [--ends-at T|none] [--[no-]allow-reenrollment]',
    summary: 'Change a promotion (only the fields given)',
    options: PROMOTION_FIELD_OPTIONS,
    args: ['promotion_id'],
    async run(admin, values, [id]) {
      const fields = promotionFields(values);
      if (Object.keys(fields).length === 0) throw new UsageError('give at least one field to change');
      const p = await admin.promotions.update(id!, fields);
      return { json: p, text: promotionRecord(p) };
    },
  },
};

import { z } from 'zod';
import { truncateToSecond } from '../rules/time.js';
import { DateTimeSchema, PromotionIdSchema } from '../schemas.js';
import type { PromotionChanges } from './repository.js';
import type { NewPromotionInput } from './service.js';

// The wire shapes of a promotion (CONTRACT §6): the admin API's bodies and resource, the
// console's forms (parsed with the same schemas) and the mappers every writer uses.

const nullableInt = (min: number) => z.number().int().min(min).max(2_147_483_647).nullable();

export const PromotionFieldsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  status: z.enum(['active', 'paused', 'ended']),
  starts_at: DateTimeSchema.nullable(),
  ends_at: DateTimeSchema.nullable(),
  duration_days: nullableInt(1),
  task_limit_per_month: nullableInt(0),
  max_enrollments: nullableInt(0),
  allow_reenrollment: z.boolean(),
});

// zod runs an object's refinements even when a field failed its own check, and then that field
// is still the raw string (" " was a 500): only two parsed instants are compared.
const windowIsValid = (v: { starts_at?: unknown; ends_at?: unknown }) =>
  !(v.starts_at instanceof Date) ||
  !(v.ends_at instanceof Date) ||
  v.ends_at.getTime() > v.starts_at.getTime();

export const CreatePromotionSchema = PromotionFieldsSchema.partial()
  .extend({
    id: PromotionIdSchema,
    partner_id: z.uuid(),
    name: z.string().trim().min(1).max(200),
  })
  .refine(windowIsValid, { message: 'must be after starts_at', path: ['ends_at'] });

export const UpdatePromotionSchema = PromotionFieldsSchema.partial();

export const PromotionSchema = z.object({
  id: z.string(),
  partner_id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'paused', 'ended']),
  starts_at: z.string().nullable(),
  ends_at: z.string().nullable(),
  duration_days: z.number().int().nullable(),
  task_limit_per_month: z.number().int().nullable(),
  max_enrollments: z.number().int().nullable(),
  allow_reenrollment: z.boolean(),
  enrollments_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** A promotion's fields as a body carries them (the admin API, a console form, the bootstrap file), parsed. */
export interface PromotionBody {
  name?: string;
  status?: 'active' | 'paused' | 'ended';
  starts_at?: Date | null;
  ends_at?: Date | null;
  duration_days?: number | null;
  task_limit_per_month?: number | null;
  max_enrollments?: number | null;
  allow_reenrollment?: boolean;
}

const second = (d: Date | null | undefined) => (d ? truncateToSecond(d) : d);

/** A new promotion from its body: instants to whole seconds, an absent field its default. */
export function toPromotionInput(
  body: PromotionBody & { id: string; partner_id: string; name: string },
): Required<NewPromotionInput> {
  return {
    id: body.id,
    partnerId: body.partner_id,
    name: body.name,
    status: body.status ?? 'active',
    startsAt: second(body.starts_at) ?? null,
    endsAt: second(body.ends_at) ?? null,
    durationDays: body.duration_days ?? null,
    taskLimitPerMonth: body.task_limit_per_month ?? null,
    maxEnrollments: body.max_enrollments ?? null,
    allowReenrollment: body.allow_reenrollment ?? false,
  };
}

/** The changes a body asks for, as a PATCH carries them: instants to whole seconds, absent fields left out. */
export function toPromotionChanges(body: PromotionBody): PromotionChanges {
  const changes: PromotionChanges = {
    name: body.name,
    status: body.status,
    startsAt: second(body.starts_at),
    endsAt: second(body.ends_at),
    durationDays: body.duration_days,
    taskLimitPerMonth: body.task_limit_per_month,
    maxEnrollments: body.max_enrollments,
    allowReenrollment: body.allow_reenrollment,
  };
  for (const k of Object.keys(changes) as (keyof PromotionChanges)[]) {
    if (changes[k] === undefined) delete changes[k];
  }
  return changes;
}

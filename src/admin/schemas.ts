import { z } from 'zod';
import { SCOPES } from '../auth/scopes.js';
import { DateTimeSchema, ExternalIdSchema, PromotionIdSchema } from '../schemas.js';

export const RedirectUriSchema = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '' && !v.includes('#');
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL without a fragment');

export const CreatePartnerSchema = z.object({
  name: z.string().trim().min(1).max(200),
  redirect_uris: z.array(RedirectUriSchema).min(1).max(20),
  scopes: z.array(z.enum(SCOPES)).min(1).max(10).optional(),
  /** CONTRACT §9: a sandbox partner may use test clocks. */
  sandbox: z.boolean().default(false),
});

/** PATCH /admin/v1/partners/{id}: at least one field; `status: disabled` switches the partner off. */
export const UpdatePartnerSchema = z
  .object({
    name: CreatePartnerSchema.shape.name,
    redirect_uris: CreatePartnerSchema.shape.redirect_uris,
    scopes: CreatePartnerSchema.shape.scopes.unwrap(),
    status: z.enum(['enabled', 'disabled']),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'must change at least one field' });

export const CreateAccountSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(8).max(200),
  external_id: ExternalIdSchema.optional(),
});

/**
 * PATCH /admin/v1/accounts/{id}: the platform's id (CONTRACT §12; null clears) and the consent
 * page's password (CONTRACT §5); a field left out is unchanged.
 */
export const UpdateAccountSchema = z.object({
  external_id: ExternalIdSchema.nullable().optional(),
  password: CreateAccountSchema.shape.password.optional(),
});

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

export const MintTokenSchema = z.object({
  client_id: z.string().min(1).max(200),
  account_id: z.uuid().optional(),
  scope: z.string().min(1).max(200),
});

export const PartnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  client_id: z.string(),
  redirect_uris: z.array(z.string()),
  scopes: z.array(z.string()),
  sandbox: z.boolean(),
  status: z.enum(['enabled', 'disabled']),
  created_at: z.string(),
});

export const AccountSchema = z.object({
  id: z.string(),
  email: z.string(),
  external_id: z.string().nullable(),
  created_at: z.string(),
});

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

export const TokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
  refresh_token: z.string().optional(),
});

export const UsageBodySchema = z.object({
  tasks: z.number().int().min(1).max(1_000_000),
  idempotency_key: z.string().min(1).max(255).optional(),
  occurred_at: DateTimeSchema.optional(),
});

export const AdminEnrollmentStatusSchema = z.enum(['enrolled', 'expired', 'unenrolled']);

export const AdminEnrollmentSchema = z.object({
  enrollment_id: z.string(),
  promotion_id: z.string(),
  account_id: z.string(),
  partner_id: z.string(),
  status: AdminEnrollmentStatusSchema,
  enrollment_date: z.string(),
  expiration_date: z.string().nullable(),
  unenrolled_at: z.string().nullable(),
  task_limit_per_month: z.number().int().nullable(),
  tasks_used_this_month: z.number().int(),
  billing_cycle_start: z.string(),
  billing_cycle_end: z.string(),
});

export const EventSchema = z.object({
  id: z.string(),
  type: z.enum(['enrolled', 'unenrolled', 'expired', 'usage_recorded', 'limit_reached']),
  actor_type: z.enum(['partner', 'admin', 'system']),
  actor_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  created_at: z.string(),
});

import { z } from 'zod';
import { DateTimeSchema } from '../schemas.js';

export const MintTokenSchema = z.object({
  client_id: z.string().min(1).max(200),
  account_id: z.uuid().optional(),
  scope: z.string().min(1).max(200),
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

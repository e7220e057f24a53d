import { z } from 'zod';
import { PromotionIdSchema } from '../schemas.js';

export const EnrollBodySchema = z.object({
  promotion_id: PromotionIdSchema,
  user_access_token: z.string().max(500).optional(),
});

export const EnrollResponseSchema = z.object({ enrollment_id: z.string() });

export const EnrollmentParamsSchema = z.object({ enrollment_id: z.string().max(200) });

export const PromotionDetailSchema = z.object({
  promotion_id: z.string(),
  enrollment_date: z.string(),
  expiration_date: z.string().nullable(),
  task_limit_per_month: z.number().int().nullable(),
  tasks_used_this_month: z.number().int(),
  status: z.enum(['enrolled', 'expired']),
  enrollment_id: z.string(),
  billing_cycle_start: z.string(),
  billing_cycle_end: z.string(),
});

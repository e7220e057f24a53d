import { z } from 'zod';
import { pageOf } from '../pagination.js';
import { DateTimeSchema } from '../schemas.js';

export const TestClockSchema = z.object({
  id: z.string(),
  frozen_time: z.string(),
  name: z.string().nullable(),
  status: z.enum(['ready', 'advancing']),
  created_at: z.string(),
});

export const TestClockListSchema = pageOf(TestClockSchema);

export const CreateTestClockSchema = z.object({
  frozen_time: DateTimeSchema,
  name: z.string().trim().min(1).max(200).nullable().optional(),
});

export const AdvanceTestClockSchema = z.object({ frozen_time: DateTimeSchema });

export const TestClockParamsSchema = z.object({ test_clock_id: z.string().max(100) });

export const CreateClockAccountSchema = z.object({ email: z.email().max(320).optional() });

export const ClockAccountSchema = z.object({
  account_id: z.string(),
  email: z.string(),
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  scope: z.string(),
  expires_in: z.number().int(),
});

export const ClockUsageParamsSchema = z.object({ enrollment_id: z.string().max(200) });

export const ClockUsageBodySchema = z.object({
  tasks: z.number().int().min(1).max(1_000_000),
  idempotency_key: z.string().min(1).max(255).optional(),
});

import { z } from 'zod';

/**
 * What recording usage answers, on the admin API (`UsageResult` in openapi/admin.yaml) and on
 * the test helpers (`TestClockUsageResult` in openapi/promotions.yaml): the same result of
 * usageService.record.
 */
export const UsageResultSchema = z.object({
  accepted: z.number().int(),
  rejected: z.number().int(),
  tasks_used_this_month: z.number().int(),
  task_limit_per_month: z.number().int().nullable(),
});

export type UsageResult = z.infer<typeof UsageResultSchema>;

// Exports of a promotion (CONTRACT §6, "Exports"): its enrollments, and its usage per enrollment
// and billing cycle, as CSV or NDJSON, streamed a keyset batch at a time (src/exports/streams.ts),
// so a million rows cost the memory of one batch. The console's "Download CSV" links serve the
// same streams (src/console/pages/promotions.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ExportFormat } from '../exports/format.js';
import { createExportsRepository } from '../exports/repository.js';
import {
  type ExportDeps,
  type ExportStream,
  enrollmentExport,
  sendExport,
  usageExport,
} from '../exports/streams.js';
import { errorResponses as errors } from '../schemas.js';
import { AdminEnrollmentStatusSchema } from './schemas.js';

/** `YYYY-MM`: the calendar month (UTC) whose billing cycles the usage export lists. */
export const CycleMonthSchema = z
  .string()
  .max(7)
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM, such as 2026-11');

const FORMATS: ExportFormat[] = ['csv', 'ndjson'];

/** /admin/v1/promotions/{id}/enrollments.{csv,ndjson} and /usage.{csv,ndjson}. */
export const exportRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps: ExportDeps = {
    promotions: app.promotionsRepository,
    exportsRepository: createExportsRepository(app.db),
    clock: app.clock,
  };
  const params = z.object({ promotion_id: z.string().min(1).max(64) });

  /** `/promotions/{id}/{name}.{csv,ndjson}`: the export `stream` with the query's options. */
  function promotionExport<Query extends z.ZodObject>(
    name: string,
    querystring: Query,
    stream: (
      deps: ExportDeps,
      promotionId: string,
      options: z.infer<Query> & { format: ExportFormat },
    ) => Promise<ExportStream>,
  ) {
    for (const format of FORMATS) {
      app.get(
        `/promotions/:promotion_id/${name}.${format}`,
        {
          schema: { params, querystring, response: errors(400, 401, 403, 404, 503) },
          config: { role: 'viewer' },
        },
        async function exportPromotion(request, reply) {
          const options = { ...(request.query as z.infer<Query>), format };
          return sendExport(reply, format, await stream(deps, request.params.promotion_id, options));
        },
      );
    }
  }

  promotionExport(
    'enrollments',
    z.object({ status: AdminEnrollmentStatusSchema.optional() }),
    enrollmentExport,
  );
  promotionExport('usage', z.object({ cycle: CycleMonthSchema.optional() }), usageExport);
};

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseBootstrapDocument } from '../bootstrap/parse.js';
import { OUTCOMES } from '../bootstrap/plan.js';
import { errorResponses as errors } from '../schemas.js';
import { apiAudit } from './admin-auth.js';

/** A document of a few hundred objects fits; the API's 16 KiB would not. */
const BOOTSTRAP_BODY_LIMIT = 1024 * 1024;

const ApplyBodySchema = z.object({
  // Its fields are validated by parseBootstrapDocument, which lists every problem, not the first.
  document: z.record(z.string(), z.unknown()),
  dry_run: z.boolean().default(false),
});

const ChangeSchema = z.object({
  kind: z.enum(['partner', 'account', 'promotion', 'webhook_endpoint']),
  key: z.string(),
  path: z.string().nullable(),
  outcome: z.enum(OUTCOMES as [string, ...string[]]),
  fields: z.array(z.string()),
  detail: z.string().nullable(),
});

export const BootstrapResultSchema = z.object({
  dry_run: z.boolean(),
  changes: z.array(ChangeSchema),
  summary: z.record(z.string(), z.number().int()),
});

/**
 * POST /admin/v1/bootstrap (CONTRACT §10): what the CLI's `apply -f` sends once it has read the
 * file and resolved its secrets on the operator's machine. 200 with the outcome per object;
 * 400 `invalid_request` / 409 `bootstrap_conflict` listing every problem, nothing changed.
 */
export const bootstrapRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/bootstrap',
    {
      bodyLimit: BOOTSTRAP_BODY_LIMIT,
      schema: {
        body: ApplyBodySchema,
        response: { 200: BootstrapResultSchema, ...errors(400, 401, 403, 409, 413, 415, 503) },
      },
      // It registers partners and sets their secrets, as only owners may (CONTRACT §11).
      config: { role: 'owner' },
    },
    async function applyBootstrapDocument(request, reply) {
      const document = parseBootstrapDocument(request.body.document);
      const result = await app.bootstrapService.apply(document, {
        dryRun: request.body.dry_run,
        audit: apiAudit(request),
      });
      return reply.header('cache-control', 'no-store').send(result);
    },
  );
};

import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changesBetween } from '../audit/audit-log.js';
import { hashSecret } from '../auth/secrets.js';
import { ERRORS } from '../errors.js';
import { errorResponses as errors } from '../schemas.js';
import { apiAudit } from './admin-auth.js';
import { toAccountResource } from './resources.js';
import { AccountSchema, CreateAccountSchema } from './schemas.js';

/** /admin/v1/accounts: the users partners enroll. */
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const { accounts, auditLog, clock } = app;

  app.post(
    '/accounts',
    {
      schema: {
        body: CreateAccountSchema,
        response: { 201: AccountSchema, ...errors(400, 401, 403, 409, 413, 415, 503) },
      },
      config: { role: 'editor' },
    },
    async function createAccount(request, reply) {
      const passwordHash = await hashSecret(request.body.password);
      // CONTRACT §11: the account and its audit entry (never the password) in one transaction.
      const account = await auditLog.write(apiAudit(request), async (tx) => {
        const created = await accounts.insert(
          { id: randomUUID(), email: request.body.email, passwordHash, createdAt: clock.now() },
          tx,
        );
        if (!created) throw ERRORS.emailTaken();
        const result = toAccountResource(created);
        return {
          result,
          entry: {
            action: 'account.created',
            objectType: 'account',
            objectId: created.id,
            changes: changesBetween(null, result),
          },
        };
      });
      return reply.code(201).header('location', `/admin/v1/accounts/${account.id}`).send(account);
    },
  );

  app.get(
    '/accounts/:account_id',
    {
      schema: {
        params: z.object({ account_id: z.string() }),
        response: { 200: AccountSchema, ...errors(401, 404, 503) },
      },
      config: { role: 'viewer' },
    },
    async function getAccount(request) {
      const id = request.params.account_id;
      const account = z.uuid().safeParse(id).success ? await accounts.findById(id) : undefined;
      if (!account) throw ERRORS.accountNotFound();
      return toAccountResource(account);
    },
  );
};

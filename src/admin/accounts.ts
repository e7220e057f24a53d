import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hashSecret } from '../auth/secrets.js';
import { ERRORS } from '../errors.js';
import { errorResponses as errors } from '../schemas.js';
import { toAccountResource } from './resources.js';
import { AccountSchema, CreateAccountSchema } from './schemas.js';

/** /admin/v1/accounts: the users partners enroll. */
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const { accounts, clock } = app;

  app.post(
    '/accounts',
    {
      schema: {
        body: CreateAccountSchema,
        response: { 201: AccountSchema, ...errors(400, 401, 409, 413, 415, 503) },
      },
    },
    async function createAccount(request, reply) {
      const account = await accounts.insert({
        id: randomUUID(),
        email: request.body.email,
        passwordHash: await hashSecret(request.body.password),
        createdAt: clock.now(),
      });
      if (!account) throw ERRORS.emailTaken();
      return reply
        .code(201)
        .header('location', `/admin/v1/accounts/${account.id}`)
        .send(toAccountResource(account));
    },
  );

  app.get(
    '/accounts/:account_id',
    {
      schema: {
        params: z.object({ account_id: z.string() }),
        response: { 200: AccountSchema, ...errors(401, 404, 503) },
      },
    },
    async function getAccount(request) {
      const id = request.params.account_id;
      const account = z.uuid().safeParse(id).success ? await accounts.findById(id) : undefined;
      if (!account) throw ERRORS.accountNotFound();
      return toAccountResource(account);
    },
  );
};

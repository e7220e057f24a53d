import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changesBetween } from '../audit/audit-log.js';
import { toAccountResource } from '../auth/resources.js';
import { AccountSchema, CreateAccountSchema, UpdateAccountSchema } from '../auth/schemas.js';
import { hashSecret } from '../auth/secrets.js';
import { sqlState } from '../db/errors.js';
import { ERRORS } from '../errors.js';
import { errorResponses as errors } from '../schemas.js';
import { apiAudit } from './admin-auth.js';

const UNIQUE_VIOLATION = '23505';
const AccountParamsSchema = z.object({ account_id: z.string().max(36) });

/** /admin/v1/accounts: the users partners enroll, with the platform's id of each (CONTRACT §12). */
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const { accountsRepository: accounts, accountPasswords, auditLog, clock } = app;

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
      const { email, password, external_id: externalId = null } = request.body;
      const passwordHash = await hashSecret(password);
      // CONTRACT §11: the account and its audit entry (never the password) in one transaction.
      const account = await auditLog.write(apiAudit(request), async (tx) => {
        const created = await accounts.insert(
          { id: randomUUID(), email, passwordHash, externalId, createdAt: clock.now() },
          tx,
        );
        if (!created) {
          throw (await accounts.takenBy({ email }, tx)) === 'email'
            ? ERRORS.emailTaken()
            : ERRORS.externalIdTaken();
        }
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
        params: AccountParamsSchema,
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

  app.patch(
    '/accounts/:account_id',
    {
      schema: {
        params: AccountParamsSchema,
        body: UpdateAccountSchema,
        response: { 200: AccountSchema, ...errors(400, 401, 403, 404, 409, 413, 415, 503) },
      },
      config: { role: 'editor' },
    },
    async function updateAccount(request) {
      const id = request.params.account_id;
      if (!z.uuid().safeParse(id).success) throw ERRORS.accountNotFound();
      const { external_id: externalId, password } = request.body;
      // The slow hash before the transaction, so no connection waits on it.
      const passwordHash = password === undefined ? undefined : await accountPasswords.hash(password);
      return auditLog.write(apiAudit(request), async (tx) => {
        const before = await accounts.findById(id, tx);
        if (!before) throw ERRORS.accountNotFound();
        let after = before;
        if (externalId !== undefined && externalId !== before.externalId) {
          try {
            after = (await accounts.setExternalId(id, externalId, tx)) ?? before;
          } catch (err) {
            if (sqlState(err) === UNIQUE_VIOLATION) throw ERRORS.externalIdTaken();
            throw err;
          }
        }
        if (passwordHash !== undefined) await accounts.setPasswordHash(id, passwordHash, tx);
        const result = toAccountResource(after);
        const changes = changesBetween(toAccountResource(before), result);
        // CONTRACT §11: a new password is recorded as the act alone, never its value.
        const passwordOnly = passwordHash !== undefined && Object.keys(changes).length === 0;
        return {
          result,
          entry: {
            action: passwordOnly ? 'account.password_changed' : 'account.updated',
            objectType: 'account',
            objectId: id,
            changes,
          },
        };
      });
    },
  );
};

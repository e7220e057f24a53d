import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AuditContext, changesBetween } from '../audit/audit-log.js';
import { toAccountResource } from '../auth/resources.js';
import { AccountSchema, CreateAccountSchema, UpdateAccountSchema } from '../auth/schemas.js';
import { hashSecret } from '../auth/secrets.js';
import { sqlState } from '../db/errors.js';
import { ERRORS } from '../errors.js';
import { registerResourceRoutes } from './resource-routes.js';

const UNIQUE_VIOLATION = '23505';
const AccountParamsSchema = z.object({ account_id: z.string().max(36) });

/** /admin/v1/accounts: the users partners enroll, with the platform's id of each (CONTRACT §12). */
export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  const { accountsRepository: accounts, accountPasswords, auditLog, clock } = app;

  registerResourceRoutes(app, {
    collection: '/accounts',
    params: AccountParamsSchema,
    resource: AccountSchema,
    roles: { read: 'viewer', write: 'editor' },
    create: { body: CreateAccountSchema, errors: [400, 401, 403, 409, 413, 415, 503], run: createAccount },
    get: { errors: [401, 404, 503], run: getAccount },
    update: {
      body: UpdateAccountSchema,
      errors: [400, 401, 403, 404, 409, 413, 415, 503],
      run: updateAccount,
    },
  });

  async function createAccount(body: z.output<typeof CreateAccountSchema>, audit: AuditContext) {
    const { email, password, external_id: externalId = null } = body;
    const passwordHash = await hashSecret(password);
    // CONTRACT §11: the account and its audit entry (never the password) in one transaction.
    return auditLog.write(audit, async (tx) => {
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
  }

  async function getAccount(id: string) {
    const account = z.uuid().safeParse(id).success ? await accounts.findById(id) : undefined;
    if (!account) throw ERRORS.accountNotFound();
    return toAccountResource(account);
  }

  async function updateAccount(id: string, body: z.output<typeof UpdateAccountSchema>, audit: AuditContext) {
    if (!z.uuid().safeParse(id).success) throw ERRORS.accountNotFound();
    const { external_id: externalId, password } = body;
    // The slow hash before the transaction, so no connection waits on it.
    const passwordHash = password === undefined ? undefined : await accountPasswords.hash(password);
    return auditLog.write(audit, async (tx) => {
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
  }
};

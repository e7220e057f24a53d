import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { parseScopeString, SCOPES } from '../auth/scopes.js';
import { hashSecret, randomId } from '../auth/secrets.js';
import { PROMOTION_ID_PATTERN, parseEnrollmentId } from '../enrollments/enrollment-id.js';
import { ApiError } from '../errors.js';
import { truncateToSecond } from '../promotions/expiration.js';
import type { PromotionChanges } from '../promotions/repository.js';
import { errorResponses as errors } from '../schemas.js';
import {
  decodeCursor,
  encodeCursor,
  toAccountResource,
  toAdminEnrollmentResource,
  toEventResource,
  toPartnerResource,
  toPromotionResource,
} from './resources.js';
import {
  AccountSchema,
  AdminEnrollmentSchema,
  AdminEnrollmentStatusSchema,
  CreateAccountSchema,
  CreatePartnerSchema,
  CreatePromotionSchema,
  EventSchema,
  ListQuerySchema,
  MintTokenSchema,
  PartnerSchema,
  PromotionSchema,
  pageOf,
  TokenResponseSchema,
  UpdatePromotionSchema,
  UsageBodySchema,
  UsageResultSchema,
} from './schemas.js';

const second = (d: Date | null | undefined) => (d ? truncateToSecond(d) : d);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalidCursor = () =>
  new ApiError('invalid_request', 'The cursor is invalid.', { source: { parameter: 'cursor' } });

/** Reads a cursor made by encodeCursor; 400 when it was not. */
function readCursor<T>(
  cursor: string | undefined,
  parse: (v: Record<string, string>) => T | null,
): T | undefined {
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor);
  const value = decoded ? parse(decoded) : null;
  if (value === null) throw invalidCursor();
  return value;
}

/** /admin/v1: the operator's surface, behind ADMIN_TOKEN. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { partners, accounts, promotions, enrollments, tokens, clock, promotionService, usageService } = app;

  const partnerNotFound = () => new ApiError('partner_not_found', 'The requested partner was not found.');
  const accountNotFound = () => new ApiError('account_not_found', 'The requested account was not found.');
  const promotionNotFound = () =>
    new ApiError('promotion_not_found', 'The requested promotion was not found.');

  app.post(
    '/partners',
    {
      schema: {
        body: CreatePartnerSchema,
        response: {
          201: PartnerSchema.extend({ client_secret: z.string() }),
          ...errors(400, 401, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const clientSecret = `cs_${randomId(32)}`;
      const partner = await partners.insert({
        id: randomUUID(),
        name: request.body.name,
        clientId: `ci_${randomId(16)}`,
        clientSecretHash: await hashSecret(clientSecret),
        redirectUris: request.body.redirect_uris,
        scopes: [...(request.body.scopes ?? SCOPES)].sort(),
        sandbox: request.body.sandbox,
        createdAt: clock.now(),
      });
      return reply
        .code(201)
        .header('location', `/admin/v1/partners/${partner.id}`)
        .send({ ...toPartnerResource(partner), client_secret: clientSecret });
    },
  );

  app.get(
    '/partners/:partner_id',
    {
      schema: {
        params: z.object({ partner_id: z.string() }),
        response: { 200: PartnerSchema, ...errors(401, 404, 503) },
      },
    },
    async (request) => {
      const id = request.params.partner_id;
      const partner = z.uuid().safeParse(id).success ? await partners.findById(id) : undefined;
      if (!partner) throw partnerNotFound();
      return toPartnerResource(partner);
    },
  );

  app.post(
    '/accounts',
    {
      schema: {
        body: CreateAccountSchema,
        response: { 201: AccountSchema, ...errors(400, 401, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const account = await accounts.insert({
        id: randomUUID(),
        email: request.body.email,
        passwordHash: await hashSecret(request.body.password),
        createdAt: clock.now(),
      });
      if (!account) {
        throw new ApiError('email_taken', 'An account with this email already exists.', {
          source: { pointer: '/email' },
        });
      }
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
    async (request) => {
      const id = request.params.account_id;
      const account = z.uuid().safeParse(id).success ? await accounts.findById(id) : undefined;
      if (!account) throw accountNotFound();
      return toAccountResource(account);
    },
  );

  app.post(
    '/promotions',
    {
      schema: {
        body: CreatePromotionSchema,
        response: { 201: PromotionSchema, ...errors(400, 401, 404, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (!(await partners.findById(body.partner_id))) {
        throw new ApiError('partner_not_found', 'The partner_id names no partner.', {
          source: { pointer: '/partner_id' },
        });
      }
      const now = clock.now();
      const created = await promotions.insert({
        id: body.id,
        partnerId: body.partner_id,
        name: body.name,
        status: body.status ?? 'active',
        startsAt: second(body.starts_at) ?? null,
        endsAt: second(body.ends_at) ?? null,
        durationDays: body.duration_days ?? null,
        taskLimitPerMonth: body.task_limit_per_month ?? null,
        maxEnrollments: body.max_enrollments ?? null,
        allowReenrollment: body.allow_reenrollment ?? false,
        createdAt: now,
        updatedAt: now,
      });
      if (!created) {
        throw new ApiError('promotion_exists', `A promotion with id ${body.id} already exists.`, {
          source: { pointer: '/id' },
        });
      }
      return reply
        .code(201)
        .header('location', `/admin/v1/promotions/${created.id}`)
        .send(toPromotionResource({ ...created, displayedCount: 0 }));
    },
  );

  app.get(
    '/promotions',
    {
      schema: {
        querystring: ListQuerySchema.extend({ partner_id: z.uuid().optional() }),
        response: {
          200: z.object({ data: z.array(PromotionSchema), next_cursor: z.string().nullable() }),
          ...errors(400, 401, 503),
        },
      },
    },
    async (request) => {
      const { limit, cursor, partner_id } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor)?.after;
      if (cursor !== undefined && after === undefined) {
        throw new ApiError('invalid_request', 'The cursor is invalid.', { source: { parameter: 'cursor' } });
      }
      const rows = await promotions.list({ limit: limit + 1, after, partnerId: partner_id });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        data: page.map(toPromotionResource),
        next_cursor: rows.length > limit && last ? encodeCursor({ after: last.id }) : null,
      };
    },
  );

  app.get(
    '/promotions/:promotion_id',
    {
      schema: {
        params: z.object({ promotion_id: z.string() }),
        response: { 200: PromotionSchema, ...errors(401, 404, 503) },
      },
    },
    async (request) => {
      const id = request.params.promotion_id;
      const promotion = PROMOTION_ID_PATTERN.test(id) ? await promotions.findWithCount(id) : undefined;
      if (!promotion) throw promotionNotFound();
      return toPromotionResource(promotion);
    },
  );

  app.patch(
    '/promotions/:promotion_id',
    {
      schema: {
        params: z.object({ promotion_id: z.string() }),
        body: UpdatePromotionSchema,
        response: { 200: PromotionSchema, ...errors(400, 401, 404, 409, 413, 415, 503) },
      },
    },
    async (request) => {
      const b = request.body;
      const changes: PromotionChanges = {
        name: b.name,
        status: b.status,
        startsAt: second(b.starts_at),
        endsAt: second(b.ends_at),
        durationDays: b.duration_days,
        taskLimitPerMonth: b.task_limit_per_month,
        maxEnrollments: b.max_enrollments,
        allowReenrollment: b.allow_reenrollment,
      };
      for (const k of Object.keys(changes) as (keyof PromotionChanges)[]) {
        if (changes[k] === undefined) delete changes[k];
      }
      return toPromotionResource(await promotionService.update(request.params.promotion_id, changes));
    },
  );

  app.get(
    '/promotions/:promotion_id/enrollments',
    {
      schema: {
        params: z.object({ promotion_id: z.string() }),
        querystring: ListQuerySchema.extend({ status: AdminEnrollmentStatusSchema.optional() }),
        response: { 200: pageOf(AdminEnrollmentSchema), ...errors(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const { limit, cursor, status } = request.query;
      const afterId = readCursor(cursor, (c) => (c.after && UUID.test(c.after) ? c.after : null));
      if (!(await promotions.findById(request.params.promotion_id))) throw promotionNotFound();
      const now = clock.now();
      const rows = await enrollments.listByPromotion(
        request.params.promotion_id,
        { limit: limit + 1, afterId, status },
        now,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        data: page.map((view) => toAdminEnrollmentResource(view, now)),
        next_cursor: rows.length > limit && last ? encodeCursor({ after: last.id }) : null,
      };
    },
  );

  const enrollmentNotFound = () =>
    new ApiError('enrollment_not_found', 'The requested enrollment was not found.');

  app.get(
    '/enrollments/:enrollment_id/events',
    {
      schema: {
        params: z.object({ enrollment_id: z.string().max(200) }),
        querystring: ListQuerySchema,
        response: { 200: pageOf(EventSchema), ...errors(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = readCursor(cursor, (c) => {
        const at = Number(c.t);
        return c.t && Number.isFinite(at) && c.id && UUID.test(c.id) ? { at, id: c.id } : null;
      });
      const key = parseEnrollmentId(request.params.enrollment_id);
      if (!key || !(await enrollments.exists(key))) throw enrollmentNotFound();
      const rows = await enrollments.listEvents(key.id, { limit: limit + 1, after });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        data: page.map(toEventResource),
        next_cursor:
          rows.length > limit && last ? encodeCursor({ t: String(last.created_at), id: last.id }) : null,
      };
    },
  );

  app.post(
    '/enrollments/:enrollment_id/usage',
    {
      schema: {
        params: z.object({ enrollment_id: z.string().max(200) }),
        body: UsageBodySchema,
        response: { 200: UsageResultSchema, ...errors(400, 401, 404, 409, 413, 415, 503) },
      },
    },
    async (request) =>
      usageService.record(request.params.enrollment_id, {
        tasks: request.body.tasks,
        idempotencyKey: request.body.idempotency_key,
        occurredAt: request.body.occurred_at,
      }),
  );

  app.post(
    '/tokens',
    {
      schema: {
        body: MintTokenSchema,
        response: { 201: TokenResponseSchema, ...errors(400, 401, 404, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const { client_id, account_id, scope } = request.body;
      const partner = await partners.findByClientId(client_id);
      if (!partner)
        throw new ApiError('partner_not_found', 'No partner has this client_id.', {
          source: { pointer: '/client_id' },
        });
      if (account_id !== undefined && !(await accounts.findById(account_id))) {
        throw new ApiError('account_not_found', 'The account_id names no account.', {
          source: { pointer: '/account_id' },
        });
      }
      const scopes = parseScopeString(scope);
      if (!scopes || scopes.length === 0 || !scopes.every((s) => partner.scopes.includes(s))) {
        throw new ApiError(
          'invalid_scope',
          `The scope must be within the partner's allowed scopes (${partner.scopes.join(' ')}).`,
          {
            source: { pointer: '/scope' },
          },
        );
      }
      const token = await tokens.issueAccessToken({
        kind: account_id ? 'user' : 'app',
        partnerId: partner.id,
        accountId: account_id ?? null,
        scopes,
      });
      return reply.code(201).header('cache-control', 'no-store').send(token);
    },
  );
};

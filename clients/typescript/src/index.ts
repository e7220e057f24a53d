import { randomUUID } from 'node:crypto';
import createClient, { type Client } from 'openapi-fetch';
import { PromotionsApiError } from './errors.js';
import type { components as AdminComponents, paths as AdminPaths } from './generated/admin.js';
import type { components as OAuthComponents, paths as OAuthPaths } from './generated/oauth.js';
import type { components as PromotionsComponents, paths as PromotionsPaths } from './generated/promotions.js';
import { type FetchLike, markRepeatable, type RetryOptions, withRetries } from './retry.js';
import type { WebhookEventType } from './webhooks.js';

export type { ErrorSource } from './errors.js';
export { PromotionsApiError, PromotionsConnectionError, parseRetryAfter } from './errors.js';
export { type FetchLike, type RetryOptions, withRetries } from './retry.js';
export {
  isWebhookEventType,
  type VerifiedWebhook,
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
  type WebhookPayload,
  WebhookVerificationError,
} from './webhooks.js';
export type { AdminPaths, OAuthPaths, PromotionsPaths };

type PromotionsSchemas = PromotionsComponents['schemas'];
type AdminSchemas = AdminComponents['schemas'];

export type PromotionDetail = PromotionsSchemas['PromotionDetail'];
export type EnrollmentResponse = PromotionsSchemas['PromotionEnrollmentResponse'];
export type TestClock = PromotionsSchemas['TestClock'];
export type TestClockList = PromotionsSchemas['TestClockList'];
export type TestClockAccount = PromotionsSchemas['TestClockAccount'];
export type TestClockUsage = PromotionsSchemas['TestClockUsage'];
export type TestClockUsageResult = PromotionsSchemas['TestClockUsageResult'];
export type Partner = AdminSchemas['Partner'];
export type PartnerWithSecret = AdminSchemas['PartnerWithSecret'];
export type PartnerCreate = AdminSchemas['PartnerCreate'];
export type PartnerUpdate = AdminSchemas['PartnerUpdate'];
export type Account = AdminSchemas['Account'];
export type AccountCreate = AdminSchemas['AccountCreate'];
export type AccountUpdate = AdminSchemas['AccountUpdate'];
export type UsageEvent = AdminSchemas['UsageEvent'];
export type UsageEventResult = AdminSchemas['UsageEventResult'];
export type UsageAllocation = AdminSchemas['UsageAllocation'];
export type Entitlement = AdminSchemas['Entitlement'];
export type EntitlementEnrollment = AdminSchemas['EntitlementEnrollment'];
export type Promotion = AdminSchemas['Promotion'];
export type PromotionCreate = AdminSchemas['PromotionCreate'];
export type PromotionUpdate = AdminSchemas['PromotionUpdate'];
export type PromotionList = AdminSchemas['PromotionList'];
export type AdminEnrollment = AdminSchemas['AdminEnrollment'];
export type AdminEnrollmentList = AdminSchemas['AdminEnrollmentList'];
export type AdminEnrollmentStatus = AdminSchemas['AdminEnrollmentStatus'];
export type UsageCreate = AdminSchemas['UsageCreate'];
export type UsageResult = AdminSchemas['UsageResult'];
export type EnrollmentEvent = AdminSchemas['Event'];
export type EventList = AdminSchemas['EventList'];
export type TokenCreate = AdminSchemas['TokenCreate'];
export type BootstrapApply = AdminSchemas['BootstrapApply'];
export type BootstrapDocument = AdminSchemas['BootstrapDocument'];
export type BootstrapResult = AdminSchemas['BootstrapResult'];
export type BootstrapChange = AdminSchemas['BootstrapChange'];
export type PartnerList = AdminSchemas['PartnerList'];
export type Role = AdminSchemas['Role'];
export type KeyRole = AdminSchemas['KeyRole'];
export type Operator = AdminSchemas['Operator'];
export type OperatorCreate = AdminSchemas['OperatorCreate'];
export type OperatorUpdate = AdminSchemas['OperatorUpdate'];
export type OperatorList = AdminSchemas['OperatorList'];
export type OperatorWithPassword = AdminSchemas['OperatorWithPassword'];
export type PasswordChange = AdminSchemas['PasswordChange'];
export type ApiKey = AdminSchemas['ApiKey'];
export type ApiKeyWithSecret = AdminSchemas['ApiKeyWithSecret'];
export type ApiKeyCreate = AdminSchemas['ApiKeyCreate'];
export type ApiKeyList = AdminSchemas['ApiKeyList'];
export type AuditEntry = AdminSchemas['AuditEntry'];
export type AuditLogList = AdminSchemas['AuditLogList'];
export type AdminTestClock = AdminSchemas['TestClock'];
export type AdminTestClockList = AdminSchemas['TestClockList'];
export type TokenResponse = OAuthComponents['schemas']['TokenResponse'];
export type WebhookEndpoint = PromotionsSchemas['WebhookEndpoint'];
export type WebhookEndpointWithSecret = PromotionsSchemas['WebhookEndpointWithSecret'];
export type WebhookEndpointCreate = PromotionsSchemas['WebhookEndpointCreate'];
export type WebhookEndpointUpdate = PromotionsSchemas['WebhookEndpointUpdate'];
export type WebhookEndpointList = PromotionsSchemas['WebhookEndpointList'];
export type WebhookDeliveryList = PromotionsSchemas['WebhookDeliveryList'];
export type WebhookDeliveryStatus = PromotionsSchemas['WebhookDelivery']['status'];
export type WebhookEvent = PromotionsSchemas['WebhookEvent'];
export type WebhookEventList = PromotionsSchemas['WebhookEventList'];
export type WebhookRedelivery = PromotionsSchemas['WebhookRedelivery'];

/** Webhook endpoints and the event feed (CONTRACT §8), the same for the public and the admin API. */
export interface WebhooksApi {
  create(body: WebhookEndpointCreate): Promise<WebhookEndpointWithSecret>;
  list(query?: { limit?: number; cursor?: string }): Promise<WebhookEndpointList>;
  get(endpointId: string): Promise<WebhookEndpoint>;
  update(endpointId: string, body: WebhookEndpointUpdate): Promise<WebhookEndpoint>;
  delete(endpointId: string): Promise<void>;
  rotateSecret(endpointId: string): Promise<{ secret: string }>;
  deliveries(
    endpointId: string,
    query?: { limit?: number; cursor?: string; status?: WebhookDeliveryStatus },
  ): Promise<WebhookDeliveryList>;
  events(query?: {
    limit?: number;
    cursor?: string;
    type?: WebhookEventType;
    since?: string;
  }): Promise<WebhookEventList>;
  redeliver(eventId: string): Promise<WebhookRedelivery>;
}

export interface ClientOptions extends RetryOptions {
  /** e.g. `http://127.0.0.1:3000` or `https://api.zapier.com`. */
  baseUrl: string;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
}

/** What openapi-fetch hands back; turns an error answer into a thrown PromotionsApiError. */
function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw PromotionsApiError.from(result.response, result.error);
}

/** A streamed answer's body; an error answer (read whole, it is small) becomes a PromotionsApiError. */
function streamOf(result: {
  data?: unknown;
  error?: unknown;
  response: Response;
}): ReadableStream<Uint8Array> {
  if (!result.response.ok) throw PromotionsApiError.from(result.response, result.error);
  return result.data as ReadableStream<Uint8Array>;
}

function makeClient<Paths extends {}>(options: ClientOptions): Client<Paths> {
  const baseFetch: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
  return createClient<Paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: withRetries(baseFetch, options),
  });
}

function bearer(getToken: () => string | Promise<string>) {
  return {
    async onRequest({ request }: { request: Request }) {
      request.headers.set('authorization', `Bearer ${await getToken()}`);
      return request;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Public API: /v2/promotions

export interface PromotionsClientOptions extends ClientOptions {
  /** The partner's access token (a user token to enroll; an app token or the user's own token to unenroll). */
  accessToken?: string;
  /** Called before every request instead of `accessToken`: refresh tokens here. */
  getAccessToken?: () => string | Promise<string>;
}

export interface EnrollOptions {
  /** Sent as Idempotency-Key; a random UUID when absent. The same key is reused on retries. */
  idempotencyKey?: string;
  /** The user's access token in the body (Zapier's user enrollment guide). */
  userAccessToken?: string;
}

export interface PromotionsClient {
  /** POST /v2/promotions: enrolls the token's account; safe to retry (Idempotency-Key). */
  enroll(promotionId: string, options?: EnrollOptions): Promise<EnrollmentResponse>;
  /** GET /v2/promotions/{enrollment_id}: usage this billing cycle, expiry and status. */
  getEnrollment(enrollmentId: string): Promise<PromotionDetail>;
  /** DELETE /v2/promotions/{enrollment_id}: unenrolls (an app token: any of the partner's; a user token: its own account's). */
  unenroll(enrollmentId: string): Promise<void>;
  /** /v2/webhook_endpoints and /v2/events (an app token with promotions:write). */
  webhooks: WebhooksApi;
  /** /v2/test_helpers (CONTRACT §9): a sandbox partner's test clocks, with its app token. */
  testClocks: TestClocksApi;
  /** The underlying typed openapi-fetch client, for anything else. */
  readonly raw: Client<PromotionsPaths>;
}

export function createPromotionsClient(options: PromotionsClientOptions): PromotionsClient {
  const raw = makeClient<PromotionsPaths>(options);
  const { accessToken, getAccessToken } = options;
  if (getAccessToken) raw.use(bearer(getAccessToken));
  else if (accessToken) raw.use(bearer(() => accessToken));

  return {
    raw,
    testClocks: createTestClocksApi(raw),
    async enroll(promotionId, enrollOptions = {}) {
      const body: PromotionsSchemas['PromotionEnrollment'] = { promotion_id: promotionId };
      if (enrollOptions.userAccessToken) body.user_access_token = enrollOptions.userAccessToken;
      return unwrap(
        await raw.POST('/v2/promotions', {
          params: { header: { 'Idempotency-Key': enrollOptions.idempotencyKey ?? randomUUID() } },
          body,
        }),
      );
    },
    async getEnrollment(enrollmentId) {
      return unwrap(
        await raw.GET('/v2/promotions/{enrollment_id}', {
          params: { path: { enrollment_id: enrollmentId } },
        }),
      );
    },
    async unenroll(enrollmentId) {
      unwrap(
        await raw.DELETE('/v2/promotions/{enrollment_id}', {
          params: { path: { enrollment_id: enrollmentId } },
          parseAs: 'text',
        }),
      );
    },
    webhooks: publicWebhooks(raw),
  };
}

function publicWebhooks(raw: Client<PromotionsPaths>): WebhooksApi {
  const endpoint = (id: string) => ({ path: { endpoint_id: id } });
  return {
    create: async (body) => unwrap(await raw.POST('/v2/webhook_endpoints', { body })),
    list: async (query = {}) => unwrap(await raw.GET('/v2/webhook_endpoints', { params: { query } })),
    get: async (id) => unwrap(await raw.GET('/v2/webhook_endpoints/{endpoint_id}', { params: endpoint(id) })),
    update: async (id, body) =>
      unwrap(await raw.PATCH('/v2/webhook_endpoints/{endpoint_id}', { params: endpoint(id), body })),
    delete: async (id) => {
      unwrap(
        await raw.DELETE('/v2/webhook_endpoints/{endpoint_id}', { params: endpoint(id), parseAs: 'text' }),
      );
    },
    rotateSecret: async (id) =>
      unwrap(await raw.POST('/v2/webhook_endpoints/{endpoint_id}/rotate_secret', { params: endpoint(id) })),
    deliveries: async (id, query = {}) =>
      unwrap(
        await raw.GET('/v2/webhook_endpoints/{endpoint_id}/deliveries', {
          params: { ...endpoint(id), query },
        }),
      ),
    events: async (query = {}) => unwrap(await raw.GET('/v2/events', { params: { query } })),
    redeliver: async (eventId) =>
      unwrap(await raw.POST('/v2/events/{event_id}/redeliver', { params: { path: { event_id: eventId } } })),
  };
}

function adminWebhooks(raw: Client<AdminPaths>, partnerId: string): WebhooksApi {
  const partner = { partner_id: partnerId };
  const endpoint = (id: string) => ({ path: { ...partner, endpoint_id: id } });
  return {
    create: async (body) =>
      unwrap(
        await raw.POST('/admin/v1/partners/{partner_id}/webhook_endpoints', {
          params: { path: partner },
          body,
        }),
      ),
    list: async (query = {}) =>
      unwrap(
        await raw.GET('/admin/v1/partners/{partner_id}/webhook_endpoints', {
          params: { path: partner, query },
        }),
      ),
    get: async (id) =>
      unwrap(
        await raw.GET('/admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}', {
          params: endpoint(id),
        }),
      ),
    update: async (id, body) =>
      unwrap(
        await raw.PATCH('/admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}', {
          params: endpoint(id),
          body,
        }),
      ),
    delete: async (id) => {
      unwrap(
        await raw.DELETE('/admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}', {
          params: endpoint(id),
          parseAs: 'text',
        }),
      );
    },
    rotateSecret: async (id) =>
      unwrap(
        await raw.POST('/admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}/rotate_secret', {
          params: endpoint(id),
        }),
      ),
    deliveries: async (id, query = {}) =>
      unwrap(
        await raw.GET('/admin/v1/partners/{partner_id}/webhook_endpoints/{endpoint_id}/deliveries', {
          params: { ...endpoint(id), query },
        }),
      ),
    events: async (query = {}) =>
      unwrap(await raw.GET('/admin/v1/partners/{partner_id}/events', { params: { path: partner, query } })),
    redeliver: async (eventId) =>
      unwrap(
        await raw.POST('/admin/v1/partners/{partner_id}/events/{event_id}/redeliver', {
          params: { path: { ...partner, event_id: eventId } },
        }),
      ),
  };
}

// ---------------------------------------------------------------------------------------------
// Test clocks: /v2/test_helpers (sandbox partners, app token)

/** An instant as the API takes it: RFC 3339, or a Date. */
export type Instant = string | Date;
const instant = (at: Instant) => (typeof at === 'string' ? at : at.toISOString());

export interface TestClocksApi {
  /** POST /v2/test_helpers/test_clocks: a clock frozen at `frozenTime`. */
  create(frozenTime: Instant, options?: { name?: string }): Promise<TestClock>;
  list(query?: PageQuery): Promise<TestClockList>;
  get(testClockId: string): Promise<TestClock>;
  /** Moves the clock forward (at most 2 years); resolves once everything due has happened. */
  advance(testClockId: string, frozenTime: Instant): Promise<TestClock>;
  /** Deletes the clock with its accounts, their enrollments, usage and events. */
  delete(testClockId: string): Promise<void>;
  /** A test account on the clock and a user token for it (`promotions:read promotions:write`). */
  createAccount(testClockId: string, options?: { email?: string }): Promise<TestClockAccount>;
  /** Records usage at the clock's time on an enrollment of one of the clock's accounts. */
  recordUsage(enrollmentId: string, body: TestClockUsage): Promise<TestClockUsageResult>;
}

function createTestClocksApi(raw: Client<PromotionsPaths>): TestClocksApi {
  const clock = (testClockId: string) => ({ path: { test_clock_id: testClockId } });
  return {
    create: async (frozenTime, options = {}) =>
      unwrap(
        await raw.POST('/v2/test_helpers/test_clocks', {
          body: { frozen_time: instant(frozenTime), ...(options.name ? { name: options.name } : {}) },
        }),
      ),
    list: async (query = {}) => unwrap(await raw.GET('/v2/test_helpers/test_clocks', { params: { query } })),
    get: async (testClockId) =>
      unwrap(await raw.GET('/v2/test_helpers/test_clocks/{test_clock_id}', { params: clock(testClockId) })),
    advance: async (testClockId, frozenTime) =>
      unwrap(
        await raw.POST('/v2/test_helpers/test_clocks/{test_clock_id}/advance', {
          params: clock(testClockId),
          body: { frozen_time: instant(frozenTime) },
        }),
      ),
    delete: async (testClockId) => {
      unwrap(
        await raw.DELETE('/v2/test_helpers/test_clocks/{test_clock_id}', {
          params: clock(testClockId),
          parseAs: 'text',
        }),
      );
    },
    createAccount: async (testClockId, options = {}) =>
      unwrap(
        await raw.POST('/v2/test_helpers/test_clocks/{test_clock_id}/accounts', {
          params: clock(testClockId),
          body: options.email ? { email: options.email } : {},
        }),
      ),
    recordUsage: async (enrollmentId, body) =>
      unwrap(
        await raw.POST('/v2/test_helpers/enrollments/{enrollment_id}/usage', {
          params: { path: { enrollment_id: enrollmentId } },
          body,
        }),
      ),
  };
}

// ---------------------------------------------------------------------------------------------
// OAuth: client credentials

export interface ClientCredentialsOptions extends ClientOptions {
  clientId: string;
  clientSecret: string;
  /** Space-separated; default: every scope the partner has. */
  scope?: string;
}

/** POST /oauth/token with grant_type=client_credentials (HTTP Basic client authentication). */
export async function getClientCredentialsToken(options: ClientCredentialsOptions): Promise<TokenResponse> {
  const raw = makeClient<OAuthPaths>(options);
  const basic = Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString('base64');
  return unwrap(
    await raw.POST('/oauth/token', {
      body: { grant_type: 'client_credentials', ...(options.scope ? { scope: options.scope } : {}) },
      bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Admin API: /admin/v1 and the operational endpoints

export interface AdminClientOptions extends ClientOptions {
  /** ADMIN_TOKEN (the bootstrap owner) or an operator's API key (`adk_…`). */
  adminToken: string;
}

/** Filters of `GET /admin/v1/audit_log`. */
export interface AuditLogQuery extends PageQuery {
  /** An operator's id or email, or `admin_token`. */
  actor?: string;
  action?: string;
  object_type?: string;
  object_id?: string;
  since?: string;
  until?: string;
}

export interface IngestOptions {
  /** Events per request, 1 to 1,000 (the server's limit). Default 1,000. */
  batchSize?: number;
  /** Requests in flight at once, 1 to 8. Default 1 (sequential). */
  concurrency?: number;
  /** Called after each batch is answered, with the number of events answered so far. */
  onBatch?: (results: UsageEventResult[], answeredSoFar: number) => void;
}

/** The account of an entitlement check: its id or the platform's external id. */
export type EntitlementAccount = { accountId: string } | { externalAccountId: string };

/** The server's limit of events per POST /admin/v1/usage_events. */
export const MAX_USAGE_BATCH = 1000;
const MAX_INGEST_CONCURRENCY = 8;

/** `/events/<i>/…` of batch-local index i → the same pointer at index `offset + i`. */
function shiftPointer(result: UsageEventResult, offset: number): UsageEventResult {
  const pointer = result.error?.source.pointer;
  const match = pointer ? /^\/events\/(\d+)(.*)$/.exec(pointer) : null;
  if (!result.error || !match || offset === 0) return result;
  const shifted = `/events/${offset + Number(match[1])}${match[2]}`;
  return { ...result, error: { ...result.error, source: { ...result.error.source, pointer: shifted } } };
}

function wholeInRange(value: number | undefined, fallback: number, max: number, name: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new RangeError(`${name} must be an integer from 1 to ${max}, not ${n}`);
  return n;
}
/** The two formats of the admin API's exports. */
export type ExportFormat = 'csv' | 'ndjson';

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export interface AdminClient {
  partners: {
    create(body: PartnerCreate): Promise<PartnerWithSecret>;
    list(query?: PageQuery): Promise<PartnerList>;
    get(partnerId: string): Promise<Partner>;
    /** Name, redirect URIs, scopes, or `status: 'disabled'` (its tokens refused) and `'enabled'` again. */
    update(partnerId: string, body: PartnerUpdate): Promise<Partner>;
    /** A new client secret, shown only in the answer; the old one stops working. */
    rotateSecret(partnerId: string): Promise<PartnerWithSecret>;
  };
  accounts: {
    create(body: AccountCreate): Promise<Account>;
    get(accountId: string): Promise<Account>;
    /** PATCH: sets, changes or (`null`) clears `external_id`. */
    update(accountId: string, body: AccountUpdate): Promise<Account>;
  };
  /** Usage metering (CONTRACT §12): callable by a `meter` key, editors and owners. */
  usage: {
    /**
     * POST /admin/v1/usage_events for any number of events: sends them in batches of
     * `batchSize` (default and at most 1,000), at most `concurrency` (default 1, at most 8)
     * at a time, and returns one result per event in the caller's order. A rejected event's
     * `source.pointer` indexes the caller's array (`/events/1234/tasks`), not its batch.
     * A batch answered with an error status throws (PromotionsApiError): batches already
     * answered are counted, the rest were not sent or counted nothing; sending the same
     * events again is safe (the recorded ones come back `duplicate`). A batch whose answer is
     * lost on the network is sent again (`retries`), for the same reason.
     */
    ingest(events: readonly UsageEvent[], options?: IngestOptions): Promise<UsageEventResult[]>;
  };
  /** GET /admin/v1/entitlements: what the account's enrollments would sponsor at `at` (default now). */
  entitlements(account: EntitlementAccount, at?: Instant): Promise<Entitlement>;
  promotions: {
    create(body: PromotionCreate): Promise<Promotion>;
    list(query?: PageQuery & { partner_id?: string }): Promise<PromotionList>;
    get(promotionId: string): Promise<Promotion>;
    update(promotionId: string, body: PromotionUpdate): Promise<Promotion>;
    listEnrollments(
      promotionId: string,
      query?: PageQuery & { status?: AdminEnrollmentStatus },
    ): Promise<AdminEnrollmentList>;
    /** GET …/enrollments.{csv,ndjson}: every enrollment, as the body's byte stream (not buffered). */
    exportEnrollments(
      promotionId: string,
      options?: { format?: ExportFormat; status?: AdminEnrollmentStatus },
    ): Promise<ReadableStream<Uint8Array>>;
    /** GET …/usage.{csv,ndjson}: usage per enrollment and billing cycle, as the body's byte stream. */
    exportUsage(
      promotionId: string,
      options?: { format?: ExportFormat; cycle?: string },
    ): Promise<ReadableStream<Uint8Array>>;
  };
  enrollments: {
    recordUsage(enrollmentId: string, body: UsageCreate): Promise<UsageResult>;
    listEvents(enrollmentId: string, query?: PageQuery): Promise<EventList>;
  };
  tokens: {
    create(body: TokenCreate): Promise<TokenResponse>;
  };
  bootstrap: {
    /** POST /admin/v1/bootstrap: applies (or with `dry_run`, plans) a document whose secrets are resolved. */
    apply(body: BootstrapApply): Promise<BootstrapResult>;
  };
  /** A partner's webhook endpoints and events (/admin/v1/partners/{id}/…). */
  webhooks(partnerId: string): WebhooksApi;
  /** A sandbox partner's test clocks, read and advanced by an operator (/admin/v1/partners/{id}/test_clocks). */
  testClocks(partnerId: string): {
    list(query?: PageQuery): Promise<AdminTestClockList>;
    get(testClockId: string): Promise<AdminTestClock>;
    advance(testClockId: string, frozenTime: Instant): Promise<AdminTestClock>;
  };
  /** The people who run the server and their API keys (owners only). */
  operators: {
    create(body: OperatorCreate): Promise<Operator>;
    list(query?: PageQuery): Promise<OperatorList>;
    get(operatorId: string): Promise<Operator>;
    update(operatorId: string, body: OperatorUpdate): Promise<Operator>;
    /** A temporary password, shown only in the answer; the operator replaces it at the next sign-in. */
    resetPassword(operatorId: string): Promise<OperatorWithPassword>;
    /** The calling operator's own new password (an API key's operator; ADMIN_TOKEN gets 403). */
    changeOwnPassword(body: PasswordChange): Promise<Operator>;
    createApiKey(operatorId: string, body: ApiKeyCreate): Promise<ApiKeyWithSecret>;
    listApiKeys(operatorId: string, query?: PageQuery): Promise<ApiKeyList>;
    revokeApiKey(operatorId: string, keyId: string): Promise<void>;
  };
  /** Who changed what, newest first. */
  auditLog: {
    list(query?: AuditLogQuery): Promise<AuditLogList>;
  };
  ops: {
    healthz(): Promise<{ status: 'ok' }>;
    readyz(): Promise<{ status: 'ok' }>;
    metrics(): Promise<string>;
    openapi(): Promise<{ openapi: string; [key: string]: unknown }>;
  };
  readonly raw: Client<AdminPaths>;
}

/** Every operation of openapi/admin.yaml, typed; errors throw PromotionsApiError. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const raw = makeClient<AdminPaths>(options);
  raw.use(bearer(() => options.adminToken));
  // The server deduplicates usage events by id (CONTRACT §12): a batch whose answer was lost on
  // the network is sent again; its recorded events come back `duplicate`, counted once.
  raw.use({
    onRequest: ({ request, schemaPath }) =>
      schemaPath === '/admin/v1/usage_events' ? markRepeatable(request) : request,
  });
  const promotion = (promotionId: string) => ({ params: { path: { promotion_id: promotionId } } });
  const enrollment = (enrollmentId: string) => ({ path: { enrollment_id: enrollmentId } });
  const operator = (operatorId: string) => ({ path: { operator_id: operatorId } });

  return {
    raw,
    partners: {
      create: async (body) => unwrap(await raw.POST('/admin/v1/partners', { body })),
      list: async (query = {}) => unwrap(await raw.GET('/admin/v1/partners', { params: { query } })),
      get: async (partnerId) =>
        unwrap(
          await raw.GET('/admin/v1/partners/{partner_id}', { params: { path: { partner_id: partnerId } } }),
        ),
      update: async (partnerId, body) =>
        unwrap(
          await raw.PATCH('/admin/v1/partners/{partner_id}', {
            params: { path: { partner_id: partnerId } },
            body,
          }),
        ),
      rotateSecret: async (partnerId) =>
        unwrap(
          await raw.POST('/admin/v1/partners/{partner_id}/rotate_secret', {
            params: { path: { partner_id: partnerId } },
          }),
        ),
    },
    accounts: {
      create: async (body) => unwrap(await raw.POST('/admin/v1/accounts', { body })),
      get: async (accountId) =>
        unwrap(
          await raw.GET('/admin/v1/accounts/{account_id}', { params: { path: { account_id: accountId } } }),
        ),
      update: async (accountId, body) =>
        unwrap(
          await raw.PATCH('/admin/v1/accounts/{account_id}', {
            params: { path: { account_id: accountId } },
            body,
          }),
        ),
    },
    usage: {
      async ingest(events, ingestOptions = {}) {
        const size = wholeInRange(ingestOptions.batchSize, MAX_USAGE_BATCH, MAX_USAGE_BATCH, 'batchSize');
        const concurrency = wholeInRange(ingestOptions.concurrency, 1, MAX_INGEST_CONCURRENCY, 'concurrency');
        const batches = Math.ceil(events.length / size);
        const answers: UsageEventResult[][] = new Array(batches);
        let next = 0;
        let answered = 0;
        let failed = false;
        // `concurrency` workers take the next unsent batch until none is left (or one failed).
        const worker = async () => {
          while (next < batches && !failed) {
            const index = next++;
            const offset = index * size;
            const batch = events.slice(offset, offset + size);
            try {
              const { data } = unwrap(
                await raw.POST('/admin/v1/usage_events', { body: { events: [...batch] } }),
              );
              answers[index] = data.map((result) => shiftPointer(result, offset));
            } catch (error) {
              failed = true;
              throw error;
            }
            answered += batch.length;
            ingestOptions.onBatch?.(answers[index]!, answered);
          }
        };
        await Promise.all(Array.from({ length: Math.min(concurrency, batches) }, worker));
        return answers.flat();
      },
    },
    entitlements: async (account, at) =>
      unwrap(
        await raw.GET('/admin/v1/entitlements', {
          params: {
            query: {
              ...('accountId' in account
                ? { account_id: account.accountId }
                : { external_account_id: account.externalAccountId }),
              ...(at === undefined ? {} : { at: instant(at) }),
            },
          },
        }),
      ),
    promotions: {
      create: async (body) => unwrap(await raw.POST('/admin/v1/promotions', { body })),
      list: async (query = {}) => unwrap(await raw.GET('/admin/v1/promotions', { params: { query } })),
      get: async (promotionId) =>
        unwrap(await raw.GET('/admin/v1/promotions/{promotion_id}', promotion(promotionId))),
      update: async (promotionId, body) =>
        unwrap(await raw.PATCH('/admin/v1/promotions/{promotion_id}', { ...promotion(promotionId), body })),
      listEnrollments: async (promotionId, query = {}) =>
        unwrap(
          await raw.GET('/admin/v1/promotions/{promotion_id}/enrollments', {
            params: { path: { promotion_id: promotionId }, query },
          }),
        ),
      exportEnrollments: async (promotionId, { format = 'csv', status } = {}) => {
        const init = {
          params: { path: { promotion_id: promotionId }, query: status ? { status } : {} },
          parseAs: 'stream' as const,
        };
        return streamOf(
          format === 'ndjson'
            ? await raw.GET('/admin/v1/promotions/{promotion_id}/enrollments.ndjson', init)
            : await raw.GET('/admin/v1/promotions/{promotion_id}/enrollments.csv', init),
        );
      },
      exportUsage: async (promotionId, { format = 'csv', cycle } = {}) => {
        const init = {
          params: { path: { promotion_id: promotionId }, query: cycle ? { cycle } : {} },
          parseAs: 'stream' as const,
        };
        return streamOf(
          format === 'ndjson'
            ? await raw.GET('/admin/v1/promotions/{promotion_id}/usage.ndjson', init)
            : await raw.GET('/admin/v1/promotions/{promotion_id}/usage.csv', init),
        );
      },
    },
    enrollments: {
      recordUsage: async (enrollmentId, body) =>
        unwrap(
          await raw.POST('/admin/v1/enrollments/{enrollment_id}/usage', {
            params: enrollment(enrollmentId),
            body,
          }),
        ),
      listEvents: async (enrollmentId, query = {}) =>
        unwrap(
          await raw.GET('/admin/v1/enrollments/{enrollment_id}/events', {
            params: { ...enrollment(enrollmentId), query },
          }),
        ),
    },
    tokens: {
      create: async (body) => unwrap(await raw.POST('/admin/v1/tokens', { body })),
    },
    bootstrap: {
      apply: async (body) => unwrap(await raw.POST('/admin/v1/bootstrap', { body })),
    },
    webhooks: (partnerId) => adminWebhooks(raw, partnerId),
    testClocks: (partnerId) => {
      const clock = (id: string) => ({ path: { partner_id: partnerId, test_clock_id: id } });
      return {
        list: async (query = {}) =>
          unwrap(
            await raw.GET('/admin/v1/partners/{partner_id}/test_clocks', {
              params: { path: { partner_id: partnerId }, query },
            }),
          ),
        get: async (id) =>
          unwrap(
            await raw.GET('/admin/v1/partners/{partner_id}/test_clocks/{test_clock_id}', {
              params: clock(id),
            }),
          ),
        advance: async (id, frozenTime) =>
          unwrap(
            await raw.POST('/admin/v1/partners/{partner_id}/test_clocks/{test_clock_id}/advance', {
              params: clock(id),
              body: { frozen_time: instant(frozenTime) },
            }),
          ),
      };
    },
    operators: {
      create: async (body) => unwrap(await raw.POST('/admin/v1/operators', { body })),
      list: async (query = {}) => unwrap(await raw.GET('/admin/v1/operators', { params: { query } })),
      get: async (operatorId) =>
        unwrap(await raw.GET('/admin/v1/operators/{operator_id}', { params: operator(operatorId) })),
      update: async (operatorId, body) =>
        unwrap(await raw.PATCH('/admin/v1/operators/{operator_id}', { params: operator(operatorId), body })),
      resetPassword: async (operatorId) =>
        unwrap(
          await raw.POST('/admin/v1/operators/{operator_id}/reset_password', {
            params: operator(operatorId),
          }),
        ),
      changeOwnPassword: async (body) => unwrap(await raw.POST('/admin/v1/operators/me/password', { body })),
      createApiKey: async (operatorId, body) =>
        unwrap(
          await raw.POST('/admin/v1/operators/{operator_id}/api_keys', {
            params: operator(operatorId),
            body,
          }),
        ),
      listApiKeys: async (operatorId, query = {}) =>
        unwrap(
          await raw.GET('/admin/v1/operators/{operator_id}/api_keys', {
            params: { ...operator(operatorId), query },
          }),
        ),
      revokeApiKey: async (operatorId, keyId) => {
        unwrap(
          await raw.DELETE('/admin/v1/operators/{operator_id}/api_keys/{key_id}', {
            params: { path: { operator_id: operatorId, key_id: keyId } },
            parseAs: 'text',
          }),
        );
      },
    },
    auditLog: {
      list: async (query = {}) => unwrap(await raw.GET('/admin/v1/audit_log', { params: { query } })),
    },
    ops: {
      healthz: async () => unwrap(await raw.GET('/healthz')),
      readyz: async () => unwrap(await raw.GET('/readyz')),
      metrics: async () => unwrap(await raw.GET('/metrics', { parseAs: 'text' })),
      openapi: async () => unwrap(await raw.GET('/openapi.json')),
    },
  };
}

/** Walks every page of a cursor-paginated admin list. */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ data: T[]; next_cursor: string | null }>,
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.data;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
}

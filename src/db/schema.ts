import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();

/** OAuth clients. The secret is kept only as an scrypt hash. */
export const partners = pgTable('partners', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  clientId: text('client_id').notNull().unique(),
  clientSecretHash: text('client_secret_hash').notNull(),
  redirectUris: text('redirect_uris').array().notNull(),
  scopes: text('scopes').array().notNull(),
  // CONTRACT §9: a sandbox partner may use test clocks.
  sandbox: boolean('sandbox').notNull().default(false),
  // Set while the partner is disabled: its tokens and client credentials are refused, its
  // enrollments kept; null again when re-enabled.
  disabledAt: ts('disabled_at'),
  createdAt: createdAt(),
});

/**
 * CONTRACT §9: a sandbox partner's test clock. Objects attached to it (accounts, and the tokens
 * and enrollments of those accounts, which copy its id) live at `frozen_time`. `status` is
 * `advancing` while an advance runs (the conditional UPDATE that claims it is the lock, held
 * for a lease of real time).
 */
export const testClocks = pgTable(
  'test_clocks',
  {
    id: text('id').primaryKey(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    frozenTime: ts('frozen_time').notNull(),
    name: text('name'),
    status: text('status', { enum: ['ready', 'advancing'] })
      .notNull()
      .default('ready'),
    // While advancing: until when (real time) the claim holds. An advance whose process died
    // leaves the clock claimable again after it, never stuck.
    advanceLeaseUntil: ts('advance_lease_until'),
    createdAt: createdAt(),
  },
  (t) => [
    index('test_clocks_partner_idx').on(t.partnerId, t.id),
    check('test_clocks_status_check', sql`${t.status} in ('ready', 'advancing')`),
  ],
);

export const accounts = pgTable(
  'accounts',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    // CONTRACT §9: a test account lives at this clock's time; null for every live account.
    testClockId: text('test_clock_id').references(() => testClocks.id, { onDelete: 'cascade' }),
    // CONTRACT §12: the platform's own id of the account (case-sensitive, unique when set).
    externalId: text('external_id'),
    createdAt: createdAt(),
  },
  // Emails are unique case-insensitively; the index is the arbiter under concurrency.
  (t) => [
    uniqueIndex('accounts_email_lower_key').on(sql`lower(${t.email})`),
    uniqueIndex('accounts_external_id_key').on(t.externalId),
    index('accounts_test_clock_idx').on(t.testClockId).where(sql`${t.testClockId} is not null`),
  ],
);

export const promotions = pgTable(
  'promotions',
  {
    id: text('id').primaryKey(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: text('status', { enum: ['active', 'paused', 'ended'] })
      .notNull()
      .default('active'),
    startsAt: ts('starts_at'),
    endsAt: ts('ends_at'),
    durationDays: integer('duration_days'),
    taskLimitPerMonth: integer('task_limit_per_month'),
    maxEnrollments: integer('max_enrollments'),
    allowReenrollment: boolean('allow_reenrollment').notNull().default(false),
    // Authoritative only while max_enrollments is set (the budget guard); otherwise the
    // count is read from enrollments so unbudgeted promotions never touch this hot row.
    enrollmentsCount: integer('enrollments_count').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('promotions_partner_id_idx').on(t.partnerId, t.id),
    check('promotions_status_check', sql`${t.status} in ('active', 'paused', 'ended')`),
    check(
      'promotions_window_check',
      sql`${t.startsAt} is null or ${t.endsAt} is null or ${t.endsAt} > ${t.startsAt}`,
    ),
    check('promotions_duration_check', sql`${t.durationDays} is null or ${t.durationDays} >= 1`),
    check('promotions_task_limit_check', sql`${t.taskLimitPerMonth} is null or ${t.taskLimitPerMonth} >= 0`),
    check('promotions_max_enrollments_check', sql`${t.maxEnrollments} is null or ${t.maxEnrollments} >= 0`),
    check(
      'promotions_budget_check',
      sql`${t.maxEnrollments} is null or ${t.enrollmentsCount} <= ${t.maxEnrollments}`,
    ),
  ],
);

/**
 * The public id is `<promotion_id>:<id>`. `is_current` marks the one enrollment per
 * (promotion, account) that rule 4 compares against; a partial unique index enforces it.
 */
export const enrollments = pgTable(
  'enrollments',
  {
    id: uuid('id').primaryKey(),
    promotionId: text('promotion_id')
      .notNull()
      .references(() => promotions.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    enrolledAt: ts('enrolled_at').notNull(),
    expiresAt: ts('expires_at'),
    unenrolledAt: ts('unenrolled_at'),
    // Set by the expiry sweeper; status is always computed from expires_at at read time.
    expiredAt: ts('expired_at'),
    isCurrent: boolean('is_current').notNull().default(true),
    // CONTRACT §9: the account's test clock, copied from the enrolling token so reads join it by
    // this row alone; null for live enrollments (the join then costs nothing).
    testClockId: text('test_clock_id').references(() => testClocks.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('enrollments_test_clock_idx')
      .on(t.testClockId, t.expiresAt)
      .where(sql`${t.testClockId} is not null`),
    uniqueIndex('enrollments_current_key').on(t.promotionId, t.accountId).where(sql`${t.isCurrent}`),
    index('enrollments_promotion_idx').on(t.promotionId, t.id),
    index('enrollments_account_idx').on(t.accountId),
  ],
);

/**
 * The ledger as it was before CONTRACT §12 (one row per usage call). Expand/contract: the
 * migration to `usage_ledger` copied its rows and nothing writes here any more, but the table
 * stays one release so a server of the previous release still running beside this one during
 * a rolling upgrade keeps working. A later migration drops it.
 */
export const taskUsage = pgTable(
  'task_usage',
  {
    id: uuid('id').primaryKey(),
    enrollmentId: uuid('enrollment_id')
      .notNull()
      .references(() => enrollments.id, { onDelete: 'cascade' }),
    cycleStart: ts('cycle_start').notNull(),
    tasksRequested: integer('tasks_requested').notNull(),
    tasksAccepted: integer('tasks_accepted').notNull(),
    idempotencyKey: text('idempotency_key'),
    occurredAt: ts('occurred_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('task_usage_idempotency_key').on(t.enrollmentId, t.idempotencyKey),
    index('task_usage_enrollment_cycle_idx').on(t.enrollmentId, t.cycleStart),
  ],
);

/**
 * CONTRACT §3 rule 3 and §12: the usage ledger, one row per allocation of tasks to an
 * enrollment (a usage call, or one platform event's share). PARTITIONED BY RANGE
 * (recorded_at), one partition a month plus a default one (the migration says so by hand:
 * drizzle-kit cannot); src/usage/ledger-partitions.ts creates months ahead and drops those
 * older than USAGE_LEDGER_RETENTION_MONTHS. No foreign key: a partitioned ledger row would
 * lock its enrollment for every insert; usage_counters holds the totals and the key.
 */
export const usageLedger = pgTable(
  'usage_ledger',
  {
    id: uuid('id').notNull(),
    enrollmentId: uuid('enrollment_id').notNull(),
    cycleStart: ts('cycle_start').notNull(),
    tasksRequested: integer('tasks_requested').notNull(),
    tasksAccepted: integer('tasks_accepted').notNull(),
    // A usage call's idempotency key, or the platform event's id (`event_id`).
    idempotencyKey: text('idempotency_key'),
    eventId: text('event_id'),
    occurredAt: ts('occurred_at').notNull(),
    recordedAt: ts('recorded_at').notNull(),
  },
  (t) => [index('usage_ledger_enrollment_idx').on(t.enrollmentId, t.recordedAt, t.id)],
);

/**
 * CONTRACT §6: the idempotency keys of POST /admin/v1/enrollments/{id}/usage, what the first
 * call answered, so a repeat is counted once (the primary key decides under concurrency).
 */
export const usageIdempotencyKeys = pgTable(
  'usage_idempotency_keys',
  {
    enrollmentId: uuid('enrollment_id')
      .notNull()
      .references(() => enrollments.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    tasksRequested: integer('tasks_requested').notNull(),
    tasksAccepted: integer('tasks_accepted').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.enrollmentId, t.key] })],
);

/**
 * CONTRACT §12: every platform event recorded, by its id, with the result it got, so a
 * repeat answers `duplicate` with the same numbers. Kept 35 days after it was received
 * (USAGE_EVENT_RETENTION_DAYS, never fewer), then swept.
 */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: text('id').primaryKey(),
    accountId: uuid('account_id').notNull(),
    tasks: integer('tasks').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    sponsored: integer('sponsored').notNull(),
    unsponsored: integer('unsponsored').notNull(),
    allocations: jsonb('allocations')
      .$type<Array<{ enrollment_id: string; promotion_id: string; tasks: number }>>()
      .notNull(),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [index('usage_events_received_idx').on(t.receivedAt)],
);

/** Per-cycle totals derived from the ledger in the same transaction; the guard of rule 3. */
export const usageCounters = pgTable(
  'usage_counters',
  {
    enrollmentId: uuid('enrollment_id')
      .notNull()
      .references(() => enrollments.id, { onDelete: 'cascade' }),
    cycleStart: ts('cycle_start').notNull(),
    used: integer('used').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.enrollmentId, t.cycleStart] }),
    check('usage_counters_used_check', sql`${t.used} >= 0`),
  ],
);

/** Access tokens: `<id>.<secret>` on the wire, only sha-256 of the secret stored. */
export const accessTokens = pgTable(
  'access_tokens',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    kind: text('kind', { enum: ['app', 'user'] }).notNull(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    scopes: text('scopes').array().notNull(),
    // The refresh-token family (or authorization code) that issued it, for cascading revocation.
    familyId: uuid('family_id'),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
    // CONTRACT §9: the account's test clock, copied at issue, so verification reads the clock's
    // time with the token row; null for live accounts and app tokens.
    testClockId: text('test_clock_id').references(() => testClocks.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('access_tokens_family_idx').on(t.familyId),
    index('access_tokens_test_clock_idx').on(t.testClockId).where(sql`${t.testClockId} is not null`),
    index('access_tokens_expires_idx').on(t.expiresAt),
  ],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull(),
    familyId: uuid('family_id').notNull(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    scopes: text('scopes').array().notNull(),
    expiresAt: ts('expires_at').notNull(),
    rotatedAt: ts('rotated_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId)],
);

export const authorizationCodes = pgTable('authorization_codes', {
  id: text('id').primaryKey(),
  secretHash: text('secret_hash').notNull(),
  partnerId: uuid('partner_id')
    .notNull()
    .references(() => partners.id, { onDelete: 'cascade' }),
  accountId: uuid('account_id')
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  redirectUri: text('redirect_uri').notNull(),
  scopes: text('scopes').array().notNull(),
  codeChallenge: text('code_challenge').notNull(),
  // The family of tokens the code issued: replaying the code revokes them.
  familyId: uuid('family_id').notNull(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
  createdAt: createdAt(),
});

/** Idempotency-Key records of POST /v2/promotions, per partner, kept 24 h. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    lockedUntil: ts('locked_until'),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.partnerId, t.key] }),
    index('idempotency_keys_expires_idx').on(t.expiresAt),
  ],
);

/** Key/value facts about the store itself (e.g. whether the demo was seeded). */
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Failed consent-page logins per key (`email:<sha256>` or `ip:<address>`) in a fixed window,
 * shared by every instance so a password cannot be guessed by spreading attempts across them.
 */
export const loginThrottle = pgTable(
  'login_throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    windowStart: ts('window_start').notNull(),
  },
  (t) => [index('login_throttle_window_idx').on(t.windowStart)],
);

/**
 * Webhook endpoints of a partner (CONTRACT §8). `secret` is the `whsec_…` HMAC key: signing needs
 * the key itself, so it cannot be hashed. With WEBHOOK_SECRETS_KEY it is stored AES-256-GCM
 * encrypted (src/webhooks/secret-box.ts), otherwise as given, protected only by the
 * database's access control; the server never logs it and returns it only from create and
 * rotate_secret. After a rotation the previous
 * key keeps signing until `previous_secret_expires_at` (24 h), then it is cleared.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    eventTypes: text('event_types').array().notNull(),
    description: text('description'),
    status: text('status', { enum: ['enabled', 'disabled'] })
      .notNull()
      .default('enabled'),
    // Why it was disabled: 'manual', 'gone' (410) or 'failing' (5 days of failures).
    disabledReason: text('disabled_reason'),
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    // Start of the current run of failed attempts; null after any success.
    failingSince: ts('failing_since'),
    deletedAt: ts('deleted_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('webhook_endpoints_partner_idx').on(t.partnerId, t.id),
    check('webhook_endpoints_status_check', sql`${t.status} in ('enabled', 'disabled')`),
  ],
);

/**
 * The event log (CONTRACT §8, §6): every change is one event, written once inside the change's
 * own statement or transaction. The partner's feed (GET /v2/events, kept 30 days), an
 * enrollment's audit trail (kept) and webhook deliveries all read it. `id` (`evt_…`) is the
 * `webhook-id`; `occurred_at` is when it happened (a test clock's time for its enrollments),
 * `created_at` when it was written on the wall clock: the feed's order and its 30 days.
 */
export const events = pgTable(
  'events',
  {
    id: text('id').primaryKey(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    // The enrollment it happened to (its audit trail); null for promotion events.
    enrollmentId: uuid('enrollment_id').references(() => enrollments.id, { onDelete: 'cascade' }),
    actorType: text('actor_type', { enum: ['partner', 'admin', 'system'] }).notNull(),
    actorId: text('actor_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    // "Once per cause": e.g. `usage.limit_reached:<enrollment>:<cycle>`; null = no dedup.
    dedupKey: text('dedup_key'),
    // CONTRACT §7: the W3C `traceparent` of the span that wrote it, so its webhook deliveries
    // continue that trace (src/trace-context.ts); null when tracing is off.
    traceContext: text('trace_context'),
    occurredAt: ts('occurred_at').notNull(),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('events_partner_idx').on(t.partnerId, t.createdAt, t.id),
    index('events_enrollment_idx')
      .on(t.enrollmentId, t.occurredAt, t.id)
      .where(sql`${t.enrollmentId} is not null`),
    uniqueIndex('events_dedup_key').on(t.dedupKey).where(sql`${t.dedupKey} is not null`),
  ],
);

/**
 * One event to one endpoint. A claim pushes `next_attempt_at` forward by the lease and sets
 * `claimed_until`, so a crashed instance's claims simply become due again.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'succeeded', 'failed', 'cancelled'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    claimedUntil: ts('claimed_until'),
    lastResponseStatus: integer('last_response_status'),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    // The dispatcher's claim: due pending deliveries, oldest first.
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt, t.id),
    index('webhook_deliveries_event_idx').on(t.eventId),
    // Deliveries (and their attempts) are pruned after 30 days; the events stay.
    index('webhook_deliveries_created_idx').on(t.createdAt),
    check(
      'webhook_deliveries_status_check',
      sql`${t.status} in ('pending', 'succeeded', 'failed', 'cancelled')`,
    ),
  ],
);

/** Every attempt of a delivery: the response status or the error, and how long it took. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    responseStatus: integer('response_status'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.at)],
);

/**
 * CONTRACT §11: the people who run the server. The password is kept only as an scrypt hash;
 * the email is unique case-insensitively. A disabled operator's keys and sessions stop working.
 */
export const operators = pgTable(
  'operators',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['viewer', 'editor', 'owner'] }).notNull(),
    disabledAt: ts('disabled_at'),
    // Set by an owner's password reset: the console asks for a new password at the next sign-in.
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('operators_email_lower_key').on(sql`lower(${t.email})`),
    check('operators_role_check', sql`${t.role} in ('viewer', 'editor', 'owner')`),
  ],
);

/**
 * Admin API keys of an operator: `adk_<id>.<secret>` on the wire, only sha-256 of the secret
 * stored (the id finds the row in O(1), the secret is compared in constant time). A key's role
 * is at most its operator's; the lower of the two applies.
 */
export const adminApiKeys = pgTable(
  'admin_api_keys',
  {
    id: text('id').primaryKey(),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id),
    name: text('name').notNull(),
    // CONTRACT §12: a key may also be `meter`, the metering endpoints only.
    role: text('role', { enum: ['viewer', 'editor', 'owner', 'meter'] }).notNull(),
    secretHash: text('secret_hash').notNull(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('admin_api_keys_operator_idx').on(t.operatorId, t.createdAt),
    check('admin_api_keys_role_check', sql`${t.role} in ('viewer', 'editor', 'owner', 'meter')`),
  ],
);

/** Console sign-ins: the cookie is `<id>.<secret>`, only sha-256 of the secret stored, so any instance checks it. */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    id: text('id').primaryKey(),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id),
    secretHash: text('secret_hash').notNull(),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('console_sessions_operator_idx').on(t.operatorId),
    index('console_sessions_expires_idx').on(t.expiresAt),
  ],
);

/**
 * CONTRACT §11: who changed what through the admin API, the CLI or the console. One row per
 * admin write, written in the transaction of the change (src/audit/). `seq` orders the rows
 * (keyset pagination, newest first); `changes` holds `{field: {before, after}}` of the changed
 * fields only, never a secret.
 */
export const adminAuditLog = pgTable(
  'admin_audit_log',
  {
    id: uuid('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull().unique(),
    at: ts('at').notNull(),
    actorKind: text('actor_kind', { enum: ['admin_token', 'api_key', 'session'] }).notNull(),
    actorOperatorId: uuid('actor_operator_id'),
    actorEmail: text('actor_email'),
    actorApiKeyId: text('actor_api_key_id'),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id').notNull(),
    changes: jsonb('changes').$type<Record<string, { before: unknown; after: unknown }>>().notNull(),
    requestId: text('request_id').notNull(),
    via: text('via', { enum: ['api', 'console'] }).notNull(),
  },
  (t) => [
    index('admin_audit_log_object_idx').on(t.objectType, t.objectId, t.seq),
    index('admin_audit_log_actor_idx').on(t.actorOperatorId, t.seq),
    index('admin_audit_log_action_idx').on(t.action, t.seq),
    index('admin_audit_log_at_idx').on(t.at),
  ],
);

// CONTRACT §10: the bootstrap (seed) file. Two shapes of one document:
// - BootstrapFileSchema: the YAML an operator writes. Secrets are never in it: each is the
//   *name* of an environment variable (`client_secret_env`, `password_env`, `secret_env`),
//   resolved by whoever reads the file (the server at start, the CLI on the operator's machine).
//   openapi/seed.schema.json is generated from it (npm run seed:schema), so editors complete it.
// - BootstrapDocumentSchema: the same with the secrets resolved, as POST /admin/v1/bootstrap
//   takes it; it also checks what spans objects (a client_id or email declared twice).
import { z } from 'zod';
import { RedirectUriSchema } from '../auth/schemas.js';
import { SCOPES } from '../auth/scopes.js';
import { EVENT_TYPES } from '../events/event-types.js';
import { DateTimeSchema, ExternalIdSchema, PromotionIdSchema } from '../schemas.js';

/**
 * A declared client_id: 3–64 of `A-Z a-z 0-9 . _ ~ -` (RFC 3986's unreserved characters, so
 * it reads the same form-urlencoded in HTTP Basic, as RFC 6749 §2.3.1 asks), starting with a
 * letter or digit, and never `ci_…`: that prefix is the server's own for generated client ids,
 * so a file can never take over a partner the admin API or the demo created.
 */
export const DECLARED_CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{2,63}$/;
export const GENERATED_CLIENT_ID_PREFIX = 'ci_';
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const MAX_INT = 2_147_483_647;
/** Objects per section of a document (CONTRACT §10); a bigger estate is split into files. */
const MAX_ENTRIES = 10_000;

const ClientIdSchema = z
  .string()
  .regex(
    DECLARED_CLIENT_ID,
    'must be 3-64 characters of letters, digits, ".", "_", "~" or "-", starting with a letter or digit',
  )
  .refine(
    (v) => !v.startsWith(GENERATED_CLIENT_ID_PREFIX),
    `must not start with "${GENERATED_CLIENT_ID_PREFIX}", the prefix of the client ids the server generates`,
  );

/** A partner named by its client_id: one declared in the file, or one already in the database. */
const PartnerRefSchema = z
  .string()
  .min(1, 'must be the client_id of a partner')
  .max(200, 'must be the client_id of a partner')
  .meta({
    description: 'The client_id of the owning partner: declared in this file or already in the database.',
  });

const EnvNameSchema = z
  .string()
  .regex(ENV_NAME, 'must be the name of an environment variable (letters, digits and "_")');

const NameSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

const booleanField = () => z.boolean({ error: 'must be true or false' });

const count = (message: string, min: number) =>
  z
    .number({ error: message })
    .int(message)
    .min(min, message)
    .max(MAX_INT, `must be at most ${MAX_INT}`)
    .nullable();

const InstantSchema = DateTimeSchema.nullable();

// ------------------------------------------------------------------ the fields each object shares

const partnerFields = {
  client_id: ClientIdSchema.meta({
    description: 'The OAuth client_id partners use; identifies the partner. Never starts with "ci_".',
  }),
  name: NameSchema.meta({ description: 'Shown on the consent page.' }),
  redirect_uris: z
    .array(RedirectUriSchema, { error: 'must be a list of URLs' })
    .min(1, 'must list at least one redirect URI')
    .max(20, 'must list at most 20 redirect URIs')
    .meta({ description: 'Exact redirect URIs for the authorization code flow.' }),
  scopes: z
    .array(z.enum(SCOPES, { error: `must be one of ${SCOPES.join(', ')}` }), {
      error: 'must be a list of scopes',
    })
    .min(1, 'must list at least one scope')
    .max(10, 'must list at most 10 scopes')
    .default([...SCOPES])
    .meta({ description: 'Scopes the partner may be granted; default all.' }),
  sandbox: booleanField()
    .default(false)
    .meta({ description: 'A sandbox partner gets test clocks (CONTRACT §9).' }),
  status: z.enum(['enabled', 'disabled'], { error: 'must be enabled or disabled' }).default('enabled').meta({
    description:
      "disabled: the partner's tokens and client credentials are refused, its enrollments kept; default enabled.",
  }),
};

const accountFields = {
  email: z
    .email({ error: 'must be an email address' })
    .max(320, 'must be at most 320 characters')
    .meta({ description: 'Identifies the account (case-insensitively); signs in on the consent page.' }),
  external_id: ExternalIdSchema.nullable().optional().meta({
    description:
      "The platform's own id of the account (CONTRACT §12): unique, case-sensitive, 1 to 128 of A-Z a-z 0-9 . _ : @ -. null clears it; left out, it is left as it is (the admin API may set it).",
  }),
};

const promotionFields = {
  id: PromotionIdSchema.meta({ description: 'The promotion slug partners enroll into; identifies it.' }),
  partner: PartnerRefSchema,
  name: NameSchema,
  status: z
    .enum(['active', 'paused', 'ended'], { error: 'must be active, paused or ended' })
    .default('active'),
  starts_at: InstantSchema.optional().meta({ description: 'RFC 3339; null or absent: no start.' }),
  ends_at: InstantSchema.optional().meta({
    description:
      'RFC 3339; null or absent: no end. On an ended promotion an absent or later ends_at keeps the instant it ended.',
  }),
  duration_days: count('must be a positive integer', 1)
    .optional()
    .meta({ description: 'How long an enrollment lasts; null or absent: until ends_at or forever.' }),
  task_limit_per_month: count('must be a whole number, 0 or more', 0)
    .optional()
    .meta({ description: 'Sponsored tasks per billing cycle; null or absent: unlimited.' }),
  max_enrollments: count('must be a whole number, 0 or more', 0)
    .optional()
    .meta({ description: 'Enrollments ever created, at most; null or absent: unlimited.' }),
  allow_reenrollment: booleanField().default(false),
};

// zod runs an object's refinements even when a field failed its own check, and then that field
// is still the raw string (" " was a 500): only two parsed instants are compared.
const windowIsValid = (p: { starts_at?: unknown; ends_at?: unknown }) =>
  !(p.starts_at instanceof Date) ||
  !(p.ends_at instanceof Date) ||
  p.ends_at.getTime() > p.starts_at.getTime();
const WINDOW_RULE = { message: 'must be after starts_at', path: ['ends_at'] };

const WebhookUrlSchema = z
  .string({ error: 'must be a URL' })
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => URL.canParse(v), 'must be an absolute URL')
  .refine(
    (v) => !URL.canParse(v) || ['http:', 'https:'].includes(new URL(v).protocol),
    'must be an http:// or https:// URL',
  );

const webhookFields = {
  partner: PartnerRefSchema,
  url: WebhookUrlSchema.meta({
    description:
      'With the partner, identifies the endpoint. https and a public address unless WEBHOOK_ALLOW_PRIVATE_URLS.',
  }),
  event_types: z
    .array(z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` }), {
      error: 'must be a list of event types',
    })
    .min(1, 'must list at least one event type')
    .max(EVENT_TYPES.length, `must list at most ${EVENT_TYPES.length} event types`)
    .default([...EVENT_TYPES])
    .meta({ description: 'Default: every event type.' }),
  description: z
    .string({ error: 'must be a string' })
    .max(500, 'must be at most 500 characters')
    .nullable()
    .default(null),
  status: z.enum(['enabled', 'disabled'], { error: 'must be enabled or disabled' }).default('enabled'),
};

/** A section of the file: a list of its entries, at most MAX_ENTRIES, none when absent. */
const section = <Entry extends z.ZodType>(entry: Entry) =>
  z
    .array(entry, { error: 'must be a list' })
    .max(MAX_ENTRIES, `must list at most ${MAX_ENTRIES}`)
    .default([]);

const pruneField = booleanField().default(false).meta({
  description:
    'true: what the file does not name goes (webhook endpoints deleted; promotions deleted, or ended when they have enrollments; accounts and partners deleted unless they have enrollments).',
});

// ------------------------------------------------------------------ the file

const env = (what: string) =>
  EnvNameSchema.meta({
    description: `The environment variable that holds ${what} (never the value itself).`,
  });

export const PartnerEntrySchema = z
  .strictObject({
    ...partnerFields,
    client_secret_env: env('the client secret (16-200 printable characters)'),
  })
  .meta({ title: 'Partner', description: 'An OAuth client.' });

export const AccountEntrySchema = z
  .strictObject({ ...accountFields, password_env: env('the password (8-200 characters)') })
  .meta({ title: 'Account', description: 'A user who can be enrolled.' });

export const PromotionEntrySchema = z.strictObject(promotionFields).refine(windowIsValid, WINDOW_RULE).meta({
  title: 'Promotion',
  description: 'Every field of the admin API; absent fields take their defaults.',
});

export const WebhookEndpointEntrySchema = z
  .strictObject({
    ...webhookFields,
    secret_env: env('the signing secret: whsec_ + base64 of 24-64 random bytes'),
  })
  .meta({ title: 'Webhook endpoint', description: "A partner's Standard Webhooks receiver." });

export const BootstrapFileSchema = z
  .strictObject({
    prune: pruneField,
    partners: section(PartnerEntrySchema),
    accounts: section(AccountEntrySchema),
    promotions: section(PromotionEntrySchema),
    webhook_endpoints: section(WebhookEndpointEntrySchema),
  })
  .meta({
    title: 'Promotions server bootstrap file',
    description:
      'What should exist in the promotions enrollment server (CONTRACT §10): applied by SEED_FILE at start or `npm run admin -- apply -f`. Applying it twice changes nothing.',
  });

export type BootstrapFile = z.output<typeof BootstrapFileSchema>;

// ------------------------------------------------------------------ the document (secrets resolved)

/** Printable ASCII without spaces: survives HTTP Basic, form bodies and shell quoting alike. */
export const ClientSecretSchema = z
  .string()
  .regex(/^[\x21-\x7e]{16,200}$/, 'must be 16 to 200 printable ASCII characters, without spaces');
export const PasswordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200, 'must be at most 200 characters');
/** Standard Webhooks: `whsec_` + base64 of the key; 24–64 bytes (the server makes 32). */
export const WebhookSecretSchema = z
  .string()
  .max(200, 'must be at most 200 characters')
  .refine((v) => {
    const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(v);
    if (!match) return false;
    const bytes = Buffer.from(match[1]!, 'base64');
    return bytes.length >= 24 && bytes.length <= 64 && bytes.toString('base64') === match[1];
  }, 'must be whsec_ followed by the base64 of 24 to 64 random bytes (e.g. "whsec_$(openssl rand -base64 32)")');

export const SECRET_FIELDS = {
  partners: { env: 'client_secret_env', value: 'client_secret' },
  accounts: { env: 'password_env', value: 'password' },
  webhook_endpoints: { env: 'secret_env', value: 'secret' },
} as const;

const PartnerDocumentSchema = z.strictObject({ ...partnerFields, client_secret: ClientSecretSchema });
const AccountDocumentSchema = z.strictObject({ ...accountFields, password: PasswordSchema });
const PromotionDocumentSchema = z.strictObject(promotionFields).refine(windowIsValid, WINDOW_RULE);
const WebhookEndpointDocumentSchema = z
  .strictObject({ ...webhookFields, secret: WebhookSecretSchema })
  .transform((e) => ({ ...e, url: new URL(e.url).href }));

type Issue = { path: (string | number)[]; message: string };

/** The first index of each key, and an issue for every later one. */
function duplicates<T>(
  items: T[],
  /** undefined: the item has no key (never a duplicate). */
  keyOf: (item: T) => string | undefined,
  section: string,
  field: string,
  what: string,
): Issue[] {
  const first = new Map<string, number>();
  const issues: Issue[] = [];
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, i);
    else
      issues.push({
        path: [section, i, field],
        message: `${what} is already declared by ${section}[${seen}]`,
      });
  });
  return issues;
}

export const BootstrapDocumentSchema = z
  .strictObject({
    prune: pruneField,
    partners: section(PartnerDocumentSchema),
    accounts: section(AccountDocumentSchema),
    promotions: section(PromotionDocumentSchema),
    webhook_endpoints: section(WebhookEndpointDocumentSchema),
  })
  .superRefine((doc, ctx) => {
    const issues = [
      ...duplicates(doc.partners, (p) => p.client_id, 'partners', 'client_id', 'this client_id'),
      // Emails are unique case-insensitively (CONTRACT §3).
      ...duplicates(doc.accounts, (a) => a.email.toLowerCase(), 'accounts', 'email', 'this email'),
      ...duplicates(
        doc.accounts,
        (a) => a.external_id ?? undefined,
        'accounts',
        'external_id',
        'this external_id',
      ),
      ...duplicates(doc.promotions, (p) => p.id, 'promotions', 'id', 'this id'),
      ...duplicates(
        doc.webhook_endpoints,
        (e) => `${e.partner}\n${e.url}`,
        'webhook_endpoints',
        'url',
        "this partner's URL",
      ),
    ];
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  });

/** The document as POST /admin/v1/bootstrap takes it (JSON: instants as RFC 3339 strings). */
export type BootstrapDocumentInput = z.input<typeof BootstrapDocumentSchema>;
/** The validated document the planner reads: defaults filled, instants as Dates, URLs normalised. */
export type BootstrapDocument = z.output<typeof BootstrapDocumentSchema>;
export type DeclaredPartner = BootstrapDocument['partners'][number];
export type DeclaredAccount = BootstrapDocument['accounts'][number];
export type DeclaredPromotion = BootstrapDocument['promotions'][number];
export type DeclaredWebhookEndpoint = BootstrapDocument['webhook_endpoints'][number];

/** The JSON Schema of the file (openapi/seed.schema.json), for editors; the input side, as written. */
export function seedFileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(BootstrapFileSchema, { io: 'input', target: 'draft-2020-12' });
}

import { z } from 'zod';
import { ExternalIdSchema } from '../schemas.js';
import { SCOPES } from './scopes.js';

// The wire shapes of partners and accounts (CONTRACT §6): the admin API's bodies and resources,
// the console's forms and the bootstrap file's redirect URIs all judge by these.

export const RedirectUriSchema = z
  .string()
  .max(2000)
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '' && !v.includes('#');
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL without a fragment');

export const CreatePartnerSchema = z.object({
  name: z.string().trim().min(1).max(200),
  redirect_uris: z.array(RedirectUriSchema).min(1).max(20),
  scopes: z.array(z.enum(SCOPES)).min(1).max(10).optional(),
  /** CONTRACT §9: a sandbox partner may use test clocks. */
  sandbox: z.boolean().default(false),
});

/** PATCH /admin/v1/partners/{id}: at least one field; `status: disabled` switches the partner off. */
export const UpdatePartnerSchema = z
  .object({
    name: CreatePartnerSchema.shape.name,
    redirect_uris: CreatePartnerSchema.shape.redirect_uris,
    scopes: CreatePartnerSchema.shape.scopes.unwrap(),
    status: z.enum(['enabled', 'disabled']),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'must change at least one field' });

export const CreateAccountSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(8).max(200),
  external_id: ExternalIdSchema.optional(),
});

/**
 * PATCH /admin/v1/accounts/{id}: the platform's id (CONTRACT §12; null clears) and the consent
 * page's password (CONTRACT §5); a field left out is unchanged.
 */
export const UpdateAccountSchema = z.object({
  external_id: ExternalIdSchema.nullable().optional(),
  password: CreateAccountSchema.shape.password.optional(),
});

export const PartnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  client_id: z.string(),
  redirect_uris: z.array(z.string()),
  scopes: z.array(z.string()),
  sandbox: z.boolean(),
  status: z.enum(['enabled', 'disabled']),
  created_at: z.string(),
});

export const AccountSchema = z.object({
  id: z.string(),
  email: z.string(),
  external_id: z.string().nullable(),
  created_at: z.string(),
});

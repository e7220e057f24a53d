import { z } from 'zod';
import { ListQuerySchema } from '../pagination.js';
import { KEY_ROLES, ROLES } from '../rules/roles.js';

export const RoleSchema = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });

/** CONTRACT §12: an API key's role, an operator's or `meter`. */
export const KeyRoleSchema = z.enum(KEY_ROLES, { message: `must be one of ${KEY_ROLES.join(', ')}` });

export const CreateOperatorSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(12).max(200),
  role: RoleSchema,
});

export const UpdateOperatorSchema = z.object({
  role: RoleSchema.optional(),
  /** true disables the operator (its keys and sessions stop working); false enables it again. */
  disabled: z.boolean().optional(),
});

/** An operator's own new password (POST /admin/v1/operators/me/password, the console's page). */
export const ChangePasswordSchema = z.object({
  current_password: z.string().min(1).max(200),
  new_password: CreateOperatorSchema.shape.password,
});

export const CreateApiKeySchema = z.object({
  name: z.string().trim().min(1).max(100),
  /** At most the operator's role (meter: an editor's or owner's); defaults to it. */
  role: KeyRoleSchema.optional(),
});

export const OperatorSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  disabled_at: z.string().nullable(),
  must_change_password: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** The reset's answer: the temporary password appears only here. */
export const OperatorWithPasswordSchema = OperatorSchema.extend({ temporary_password: z.string() });

export const ApiKeySchema = z.object({
  id: z.string(),
  operator_id: z.string(),
  name: z.string(),
  role: KeyRoleSchema,
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

export const ApiKeyWithSecretSchema = ApiKeySchema.extend({ key: z.string() });

export const OperatorListQuerySchema = ListQuerySchema;
export const ApiKeyListQuerySchema = ListQuerySchema;

import { z } from 'zod';

/** The error envelope, shared by every route's error responses. */
export const ErrorEnvelopeSchema = z.object({
  errors: z.array(
    z.object({
      status: z.string(),
      code: z.string(),
      title: z.string(),
      detail: z.string(),
      source: z
        .object({
          pointer: z.string().optional(),
          parameter: z.string().optional(),
          header: z.string().optional(),
        })
        .optional(),
    }),
  ),
});

export const PromotionIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of letters, digits, "_", "." or "-"');

/** RFC 3339 date-time in, Date out; whole seconds are kept by the callers. */
export const DateTimeSchema = z.iso
  .datetime({ offset: true, message: 'must be an RFC 3339 date-time' })
  .max(40, 'must be an RFC 3339 date-time')
  .transform((v) => new Date(v));

/** CONTRACT §12: the platform's own id of an account, case-sensitive. */
export const ExternalIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be 1 to 128 of A-Z a-z 0-9 . _ : @ -');

/** Error responses of a route: every listed status answers with the envelope. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorEnvelopeSchema])) as Record<
    number,
    typeof ErrorEnvelopeSchema
  >;

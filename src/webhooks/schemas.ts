import { z } from 'zod';
import { EVENT_TYPES } from '../events/event-types.js';
import { ListQuerySchema } from '../pagination.js';
import { DateTimeSchema } from '../schemas.js';

export const EventTypeSchema = z.enum(EVENT_TYPES, {
  message: `must be one of ${EVENT_TYPES.join(', ')}`,
});

const EventTypesSchema = z
  .array(EventTypeSchema)
  .min(1, 'must list at least one event type')
  .max(EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);

export const EndpointStatusSchema = z.enum(['enabled', 'disabled']);

export const CreateEndpointSchema = z.object({
  url: z.string().min(1).max(2048),
  event_types: EventTypesSchema.optional(),
  description: z.string().max(500).nullable().optional(),
});

export const UpdateEndpointSchema = z.object({
  url: z.string().min(1).max(2048).optional(),
  event_types: EventTypesSchema.optional(),
  description: z.string().max(500).nullable().optional(),
  status: EndpointStatusSchema.optional(),
});

export const EndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  event_types: z.array(z.string()),
  description: z.string().nullable(),
  status: EndpointStatusSchema,
  disabled_reason: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const EndpointWithSecretSchema = EndpointSchema.extend({ secret: z.string() });
export const SecretSchema = z.object({ secret: z.string() });

export const DeliveryStatusSchema = z.enum(['pending', 'succeeded', 'failed', 'cancelled']);

export const DeliverySchema = z.object({
  id: z.string(),
  event_id: z.string(),
  type: z.string(),
  status: DeliveryStatusSchema,
  attempts: z.array(
    z.object({
      at: z.string(),
      response_status: z.number().int().nullable(),
      error: z.string().nullable(),
      duration_ms: z.number().int(),
    }),
  ),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
});

export const WebhookEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  timestamp: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const RedeliverSchema = z.object({ event_id: z.string(), deliveries: z.number().int() });

export const EndpointListQuerySchema = ListQuerySchema;
export const DeliveryListQuerySchema = ListQuerySchema.extend({ status: DeliveryStatusSchema.optional() });
export const EventListQuerySchema = ListQuerySchema.extend({
  type: EventTypeSchema.optional(),
  since: DateTimeSchema.optional(),
});

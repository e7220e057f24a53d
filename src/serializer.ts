import fastJson from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { type ZodType, z } from 'zod';

type SerializerCompiler = Parameters<import('fastify').FastifyInstance['setSerializerCompiler']>[0];

/**
 * Response bodies written by a compiled serializer: each route's zod response schema, as
 * JSON Schema, compiled once by fast-json-stringify. zod keeps validating what comes in;
 * what goes out is the server's own data, checked against openapi/ by the test suite, so
 * re-validating it with zod on every response would only spend CPU on the hot path. A schema
 * JSON Schema cannot express falls back to zod's serializer.
 */
export const compiledSerializerCompiler: SerializerCompiler = (route) => {
  const schema = route.schema as ZodType;
  try {
    const json = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'throw' });
    return fastJson(json as Parameters<typeof fastJson>[0]);
  } catch {
    return (zodSerializerCompiler as unknown as SerializerCompiler)(route);
  }
};

// openapi/seed.schema.json is generated from the zod schema of the bootstrap file (CONTRACT
// §10) and must not drift from it; the example file declares it for editors and keeps it.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderSeedSchema, SEED_SCHEMA_FILE } from '../../scripts/seed-schema.js';

describe('openapi/seed.schema.json', () => {
  it('is what npm run seed:schema generates from src/bootstrap/schema.ts', () => {
    expect(readFileSync(SEED_SCHEMA_FILE, 'utf8'), 'run npm run seed:schema').toBe(renderSeedSchema());
  });

  it('is named by examples/ci/seed.yaml for yaml-language-server, and the example keeps it', () => {
    const text = readFileSync('examples/ci/seed.yaml', 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../openapi/seed.schema.json');
    const validate = new Ajv2020({ strict: false }).compile(
      JSON.parse(readFileSync(SEED_SCHEMA_FILE, 'utf8')),
    );
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('gives editors what they complete: each section, its fields, their descriptions', () => {
    const schema = JSON.parse(readFileSync(SEED_SCHEMA_FILE, 'utf8'));
    expect(Object.keys(schema.properties)).toEqual([
      'prune',
      'partners',
      'accounts',
      'promotions',
      'webhook_endpoints',
    ]);
    expect(schema.additionalProperties).toBe(false);
    const partner = schema.properties.partners.items;
    expect(partner.required).toEqual(['client_id', 'name', 'redirect_uris', 'client_secret_env']);
    expect(partner.properties.client_secret_env.description).toBe(
      'The environment variable that holds the client secret (16-200 printable characters) (never the value itself).',
    );
    const validate = new Ajv2020({ strict: false }).compile(schema);
    // A secret written in the file is not a field: an editor flags it.
    expect(
      validate({
        partners: [
          {
            client_id: 'acme',
            name: 'A',
            client_secret: 'x',
            client_secret_env: 'X',
            redirect_uris: ['https://a.example/cb'],
          },
        ],
      }),
    ).toBe(false);
  });
});

// Standard Webhooks signing (standardwebhooks.com): `v1,<base64 HMAC-SHA256 of
// "{id}.{timestamp}.{body}">` with the key that `whsec_<base64>` encodes. Checked against
// the `standardwebhooks` npm package in test/webhooks/signer.test.ts.
import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes. */
export const generateSecret = () => `${PREFIX}${randomBytes(32).toString('base64')}`;

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export interface SignedHeaders {
  'content-type': 'application/json';
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The delivery headers; with two secrets (a rotation's overlap), two space-separated signatures. */
export function signedHeaders(input: {
  id: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  body: string;
  secrets: string[];
}): SignedHeaders {
  return {
    'content-type': 'application/json',
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': input.secrets
      .map((s) => signature(s, input.id, input.timestamp, input.body))
      .join(' '),
  };
}

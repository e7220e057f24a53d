// Endpoint secrets at rest. HMAC signing needs the raw key, so secrets cannot be hashed; with
// WEBHOOK_SECRETS_KEY they are stored AES-256-GCM encrypted (`enc1:<iv>:<tag>:<data>`, base64),
// so a database dump or backup alone does not reveal them. Without it they are stored as
// given and protected only by the database's access control. Values without the prefix are
// read as plaintext, so setting the key later works; rows written before keep their form
// until their secret is rotated.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'enc1:';

export interface SecretBox {
  seal(secret: string): string;
  open(stored: string): string;
}

export const plaintextBox: SecretBox = {
  seal: (secret) => secret,
  open: (stored) => {
    if (stored.startsWith(PREFIX)) throw new Error('an encrypted webhook secret needs WEBHOOK_SECRETS_KEY');
    return stored;
  },
};

/** AES-256-GCM with a key derived from `keyMaterial` (a long random string). */
export function createSecretBox(keyMaterial: string | undefined): SecretBox {
  if (!keyMaterial) return plaintextBox;
  const key = createHash('sha256').update(`webhook-secrets:${keyMaterial}`).digest();
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return `${PREFIX}${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${data.toString('base64')}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const [iv = '', tag = '', data = ''] = stored.slice(PREFIX.length).split(':');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}

import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { findOrInsertMeta } from '../db/meta.js';

/**
 * The HMAC key of a CSRF token scheme (the consent page's, the console's): 32 random bytes made
 * once and kept in `meta` under `name`, so any instance checks any instance's tokens. Cached
 * per process: it never changes, and losing the cache only costs one query.
 */
export function csrfServerKey(db: Db, name: string): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return function serverKey() {
    key ??= findOrInsertMeta(db, name, () => randomBytes(32).toString('base64url'))
      .then((value) => Buffer.from(value, 'base64url'))
      .catch((err: unknown) => {
        key = undefined;
        throw err;
      });
    return key;
  };
}

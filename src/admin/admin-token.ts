import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The admin token file: for the embedded store the server generates a token on first start
 * and keeps it in `DATA_DIR/admin-token` (mode 0600); the admin CLI reads it from there.
 */
export const adminTokenFile = (dataDir: string): string => join(dataDir, 'admin-token');

/** The token kept in DATA_DIR, trimmed; undefined when there is no file. */
export function readAdminTokenFile(dataDir: string): string | undefined {
  const file = adminTokenFile(dataDir);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/** Generates a token and keeps it in DATA_DIR, readable by its owner only. */
export function writeNewAdminTokenFile(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const token = `adm_${randomBytes(32).toString('base64url')}`;
  const file = adminTokenFile(dataDir);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return token;
}

import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { randomBase64url } from '../random.js';

// scrypt cost for passwords and client secrets: ~50 ms on one core, off the event loop.
const SCRYPT_N = 16_384;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEY_LENGTH = 32;

/**
 * At most one scrypt per CPU but one at a time (one on a 1- or 2-CPU machine); the rest wait
 * their turn (first come, first served). Each call holds 128·N·r bytes (16 MB) while it runs
 * and keeps a core busy, so running more at once (libuv has 4 threads) finishes none sooner and
 * holds more memory; and a burst of logins or first client authentications that took every
 * core would stall every other request and the database with it: one core stays theirs. On 2
 * CPUs that halves the logins a second (~15–20 instead of ~30–40) and lowered the token
 * scenario's peak RSS by ~10 MB (issue 27).
 */
export const SCRYPT_CONCURRENCY = Math.max(1, availableParallelism() - 1);
let scryptRunning = 0;
const scryptWaiting: (() => void)[] = [];

/** scrypt calls running now (for tests: never above SCRYPT_CONCURRENCY). */
export const scryptInFlight = (): number => scryptRunning;

async function scryptAsync(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  if (scryptRunning < SCRYPT_CONCURRENCY) scryptRunning++;
  else await new Promise<void>((resolve) => scryptWaiting.push(resolve)); // the slot is handed over
  try {
    return await new Promise((resolve, reject) => {
      scrypt(secret, salt, KEY_LENGTH, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
        err ? reject(err) : resolve(key),
      );
    });
  } finally {
    const next = scryptWaiting.shift();
    if (next) next();
    else scryptRunning--;
  }
}

/** A slow, salted hash: `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P);
  return ['scrypt', SCRYPT_N, SCRYPT_R, SCRYPT_P, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

// A well-formed hash to verify against when the user or client does not exist, so a miss
// costs as much time as a wrong secret and response times reveal nothing.
const DUMMY_HASH = `scrypt$${SCRYPT_N}$${SCRYPT_R}$${SCRYPT_P}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

export async function verifySecret(secret: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? DUMMY_HASH).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return timingSafeEqual(actual, expected) && stored != null;
}

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** Constant-time string equality (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export const randomId = (bytes = 16): string => randomBase64url(bytes);

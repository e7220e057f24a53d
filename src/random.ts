import { randomBytes, randomFillSync } from 'node:crypto';

// Random bytes for ids and secrets, drawn from a pool that the operating system's CSPRNG fills
// 4 KiB at a time (as Node's randomUUID caches its own entropy): one call into OpenSSL per ~100
// tokens instead of three per token, which profiles of client_credentials, POST and DELETE put at
// 2–5% of the main thread. Bytes are handed out once and zeroed as they leave, so the pool never
// holds a value some caller already has.

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafeSlow(POOL_BYTES);
let offset = POOL_BYTES;
/** Counts refills: a draw zeroes its bytes only if the pool still holds them. */
let generation = 0;

/** Reads `bytes` fresh random bytes (pool[start..end)) through `read`, which must not keep the buffer. */
export function drawRandom<T>(bytes: number, read: (pool: Buffer, start: number, end: number) => T): T {
  if (bytes > POOL_BYTES) return read(randomBytes(bytes), 0, bytes);
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
    generation++;
  }
  const start = offset;
  const end = start + bytes;
  const drawnFrom = generation;
  offset = end;
  try {
    return read(pool, start, end);
  } finally {
    // Exactly [start, end): a `read` that draws again moves `offset`, and if that refilled the
    // pool, these bytes are already gone and the range holds fresh ones yet to be handed out.
    if (generation === drawnFrom) pool.fill(0, start, end);
  }
}

/** `bytes` random bytes as base64url (16 bytes: 22 characters, 32 bytes: 43). */
export const randomBase64url = (bytes: number): string =>
  drawRandom(bytes, (from, start, end) => from.toString('base64url', start, end));

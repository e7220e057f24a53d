import type { Clock } from '../clock.js';
import { sha256 } from './secrets.js';

const TTL_MS = 10 * 60 * 1000;
const MAX_ENTRIES = 10_000;

/**
 * Client secrets that recently passed scrypt, remembered as sha-256 (they are 256-bit random
 * values, so the digest reveals nothing) for ten minutes of the injected clock. A hit skips
 * the ~50 ms slow hash for a partner's repeated client-credentials calls; a wrong secret
 * always pays full price, and entries are keyed by the stored hash, so a new secret never
 * matches an old entry. Safe to lose: a miss only costs one scrypt.
 */
export function createVerifiedSecrets(deps: { clock: Clock }) {
  const { clock } = deps;
  const entries = new Map<string, number>();
  const keyOf = (storedHash: string, secret: string) => `${storedHash}\n${sha256(secret)}`;
  function has(storedHash: string, secret: string): boolean {
    const key = keyOf(storedHash, secret);
    const until = entries.get(key);
    if (until === undefined) return false;
    if (until < clock.now().getTime()) {
      entries.delete(key);
      return false;
    }
    return true;
  }

  function remember(storedHash: string, secret: string): void {
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
    entries.set(keyOf(storedHash, secret), clock.now().getTime() + TTL_MS);
  }

  return { has, remember };
}

export type VerifiedSecrets = ReturnType<typeof createVerifiedSecrets>;

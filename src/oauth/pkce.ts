import { createHash } from 'node:crypto';
import { safeEqual } from '../auth/secrets.js';

/** RFC 7636 §4.1: 43–128 unreserved characters. */
export const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** An S256 challenge is BASE64URL(SHA256(verifier)): always 43 characters. */
export const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/** RFC 7636 §4.6, S256 only (plain is refused at the authorization endpoint). */
export const verifierMatches = (verifier: string, challenge: string): boolean =>
  safeEqual(s256(verifier), challenge);

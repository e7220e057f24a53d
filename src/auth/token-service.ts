import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { formatScopes, type Scope } from './scopes.js';
import { randomId, sha256 } from './secrets.js';
import type { TokenRepository, TokenRow } from './token-repository.js';

export type TokenKind = 'app' | 'user';

/** Who is calling, as proven by a bearer token. */
export interface Principal {
  tokenId: string;
  kind: TokenKind;
  partnerId: string;
  accountId: string | null;
  scopes: string[];
  expiresAt: Date;
  /**
   * CONTRACT §9: the test clock of the token's account and its time when the token was read: the
   * request's "now" for every §3 rule (null: a live account, the wall clock).
   */
  testClockId: string | null;
  clockTime: Date | null;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
}

export type VerifyResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'malformed' | 'unknown' | 'expired' | 'revoked' | 'partner_disabled' };

export type ParsedToken = { id: string; secret: string };

// `<prefix>_<id>.<secret>`: the id finds the row, the secret is compared against its sha-256
// in constant time. Tokens carry 256 bits of entropy, so a fast hash is enough here.
const TOKEN_PATTERN = /^(at|rt|ac)_([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function mintOpaque(prefix: 'at' | 'rt' | 'ac'): { id: string; secretHash: string; value: string } {
  const id = randomId(16);
  const secret = randomId(32);
  return { id, secretHash: sha256(secret), value: `${prefix}_${id}.${secret}` };
}

export function parseOpaque(value: string, prefix: 'at' | 'rt' | 'ac'): ParsedToken | null {
  const match = TOKEN_PATTERN.exec(value);
  if (!match || match[1] !== prefix) return null;
  return { id: match[2]!, secret: match[3]! };
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(secret));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface IssueInput {
  kind: TokenKind;
  partnerId: string;
  accountId: string | null;
  scopes: Scope[];
  familyId?: string | null;
}

export function createTokenService(deps: {
  tokens: TokenRepository;
  clock: Clock;
  accessTokenTtlSeconds: number;
}) {
  const { tokens, clock, accessTokenTtlSeconds } = deps;

  /**
   * The check of a token row already read (by verifyAccessToken, or with a route's own data
   * in the same round trip): secret in constant time, then revocation and expiry.
   */
  function checkRow(parsed: ParsedToken, row: TokenRow | undefined): VerifyResult {
    if (!row || !secretMatches(parsed.secret, row.secretHash)) return { ok: false, reason: 'unknown' };
    if (row.revokedAt) return { ok: false, reason: 'revoked' };
    if (row.expiresAt.getTime() <= clock.now().getTime()) return { ok: false, reason: 'expired' };
    if (row.partnerDisabled) return { ok: false, reason: 'partner_disabled' };
    return {
      ok: true,
      principal: {
        tokenId: row.id,
        kind: row.kind,
        partnerId: row.partnerId,
        accountId: row.accountId,
        scopes: row.scopes,
        expiresAt: row.expiresAt,
        testClockId: row.testClockId,
        clockTime: row.clockTime,
      },
    };
  }

  async function issueAccessToken(input: IssueInput, tx?: Db): Promise<TokenResponse> {
    const minted = mintOpaque('at');
    const now = clock.now();
    await tokens.insertAccessToken(
      {
        id: minted.id,
        secretHash: minted.secretHash,
        kind: input.kind,
        partnerId: input.partnerId,
        accountId: input.accountId,
        scopes: input.scopes,
        familyId: input.familyId ?? null,
        expiresAt: new Date(now.getTime() + accessTokenTtlSeconds * 1000),
        createdAt: now,
      },
      tx,
    );
    return {
      access_token: minted.value,
      token_type: 'Bearer',
      expires_in: accessTokenTtlSeconds,
      scope: formatScopes(input.scopes),
    };
  }

  /** Parses, loads and checks an access token. */
  async function verifyAccessToken(value: string): Promise<VerifyResult> {
    const parsed = parseOpaque(value, 'at');
    if (!parsed) return { ok: false, reason: 'malformed' };
    return checkRow(parsed, await tokens.findAccessToken(parsed.id));
  }

  return { issueAccessToken, verifyAccessToken, checkRow };
}

export type TokenService = ReturnType<typeof createTokenService>;

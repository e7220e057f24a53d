import { randomUUID } from 'node:crypto';
import type { PartnerRow } from '../auth/partners-repository.js';
import { formatScopes, type Scope, scopesWithin } from '../auth/scopes.js';
import type { TokenRepository } from '../auth/token-repository.js';
import {
  mintOpaque,
  parseOpaque,
  secretMatches,
  type TokenResponse,
  type TokenService,
} from '../auth/token-service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { OAUTH_ERRORS, OAuthError } from './errors.js';
import type { GrantsRepository } from './grants-repository.js';
import { verifierMatches } from './pkce.js';

/** As on Zapier: a code is good for 2 minutes, once. */
export const AUTHORIZATION_CODE_TTL_SECONDS = 120;
/** Each rotation gives the new refresh token this long. */
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export interface IntrospectionResponse {
  active: boolean;
  scope?: string;
  client_id?: string;
  token_type?: string;
  exp?: number;
  iat?: number;
  sub?: string;
  aud?: string;
  iss?: string;
}

const epochSeconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** The rules of the authorization code and refresh token grants, revocation and introspection. */
export function createGrantService(deps: {
  db: Db;
  clock: Clock;
  grants: GrantsRepository;
  tokens: TokenService;
  tokenRepository: TokenRepository;
  issuer: string;
}) {
  const { db, clock, grants, tokens, tokenRepository, issuer } = deps;

  /** An access token and a refresh token of one family, in the caller's transaction. */
  async function issueUserTokens(
    input: { partnerId: string; accountId: string; familyId: string; scopes: Scope[]; grantScopes: string[] },
    tx: Db,
  ): Promise<TokenResponse> {
    const access = await tokens.issueAccessToken(
      {
        kind: 'user',
        partnerId: input.partnerId,
        accountId: input.accountId,
        scopes: input.scopes,
        familyId: input.familyId,
      },
      tx,
    );
    const refresh = mintOpaque('rt');
    const now = clock.now();
    await grants.insertRefreshToken(
      {
        id: refresh.id,
        secretHash: refresh.secretHash,
        familyId: input.familyId,
        partnerId: input.partnerId,
        accountId: input.accountId,
        // The refresh token keeps the whole grant, so a narrower access token can widen back later.
        scopes: input.grantScopes,
        expiresAt: new Date(now.getTime() + REFRESH_TOKEN_TTL_SECONDS * 1000),
        createdAt: now,
      },
      tx,
    );
    return { ...access, refresh_token: refresh.value };
  }

  /** A single-use code bound to client, account, redirect URI, scopes and PKCE challenge. */
  async function issueCode(input: {
    partnerId: string;
    accountId: string;
    redirectUri: string;
    scopes: Scope[];
    codeChallenge: string;
  }): Promise<string> {
    const code = mintOpaque('ac');
    const now = clock.now();
    await grants.insertCode({
      id: code.id,
      secretHash: code.secretHash,
      partnerId: input.partnerId,
      accountId: input.accountId,
      redirectUri: input.redirectUri,
      scopes: input.scopes,
      codeChallenge: input.codeChallenge,
      familyId: randomUUID(),
      expiresAt: new Date(now.getTime() + AUTHORIZATION_CODE_TTL_SECONDS * 1000),
      createdAt: now,
    });
    return code.value;
  }

  /**
   * grant_type=authorization_code. The code is spent by the first attempt that gets this far
   * even when its redirect URI or verifier is wrong; a second use revokes what the first issued
   * (RFC 6749 §4.1.2, RFC 6819 §4.4.1.1).
   */
  async function exchangeCode(input: {
    partner: PartnerRow;
    code: string;
    redirectUri: string;
    codeVerifier: string;
  }): Promise<TokenResponse> {
    const parsed = parseOpaque(input.code, 'ac');
    const found = parsed ? await grants.findCode(parsed.id) : undefined;
    // Another client's code is as good as unknown to this one, and is not spent by it.
    if (!parsed || !found || !secretMatches(parsed.secret, found.secretHash))
      throw OAUTH_ERRORS.codeInvalid();
    if (found.partnerId !== input.partner.id) throw OAUTH_ERRORS.codeInvalid();

    const now = clock.now();
    const outcome = await db.transaction(async (tx) => {
      const code = await grants.consumeCode(found.id, now, tx);
      if (!code) {
        await grants.revokeFamily(found.familyId, now, tx);
        return OAUTH_ERRORS.codeUsed();
      }
      if (code.expiresAt.getTime() <= now.getTime()) return OAUTH_ERRORS.codeInvalid();
      if (code.redirectUri !== input.redirectUri) {
        return OAUTH_ERRORS.codeRedirectUriMismatch();
      }
      if (!verifierMatches(input.codeVerifier, code.codeChallenge)) {
        return OAUTH_ERRORS.codeVerifierMismatch();
      }
      return issueUserTokens(
        {
          partnerId: code.partnerId,
          accountId: code.accountId,
          familyId: code.familyId,
          scopes: code.scopes as Scope[],
          grantScopes: code.scopes,
        },
        tx,
      );
    });
    // Failures are returned, not thrown, so that spending the code (and any revocation) commits.
    if (outcome instanceof OAuthError) throw outcome;
    return outcome;
  }

  /** grant_type=refresh_token: rotation with reuse detection (RFC 9700 §4.14.2). */
  async function refresh(input: {
    partner: PartnerRow;
    refreshToken: string;
    scope?: string;
  }): Promise<TokenResponse> {
    const parsed = parseOpaque(input.refreshToken, 'rt');
    const found = parsed ? await grants.findRefreshToken(parsed.id) : undefined;
    if (!parsed || !found || !secretMatches(parsed.secret, found.secretHash))
      throw OAUTH_ERRORS.refreshTokenInvalid();
    if (found.partnerId !== input.partner.id) throw OAUTH_ERRORS.refreshTokenInvalid();
    if (found.revokedAt) throw OAUTH_ERRORS.refreshTokenInvalid();

    const scopes = narrowScopes(input.scope, found.scopes);
    const now = clock.now();
    const outcome = await db.transaction(async (tx) => {
      const current = found.rotatedAt ? undefined : await grants.rotateRefreshToken(found.id, now, tx);
      if (!current) {
        // A spent refresh token came back: someone holds a copy. Kill the whole lineage.
        await grants.revokeFamily(found.familyId, now, tx);
        return OAUTH_ERRORS.refreshTokenReused();
      }
      if (current.expiresAt.getTime() <= now.getTime()) return OAUTH_ERRORS.refreshTokenInvalid();
      return issueUserTokens(
        {
          partnerId: current.partnerId,
          accountId: current.accountId,
          familyId: current.familyId,
          scopes,
          grantScopes: current.scopes,
        },
        tx,
      );
    });
    if (outcome instanceof OAuthError) throw outcome;
    return outcome;
  }

  /**
   * RFC 7009. Unknown tokens and other clients' tokens are ignored silently. A refresh
   * token takes its whole family with it, access tokens included.
   */
  async function revoke(input: { partner: PartnerRow; token: string }): Promise<void> {
    const now = clock.now();
    const refresh = parseOpaque(input.token, 'rt');
    if (refresh) {
      const row = await grants.findRefreshToken(refresh.id);
      if (row && secretMatches(refresh.secret, row.secretHash) && row.partnerId === input.partner.id) {
        await grants.revokeFamily(row.familyId, now);
      }
      return;
    }
    const access = parseOpaque(input.token, 'at');
    if (access) {
      const row = await tokenRepository.findAccessToken(access.id);
      if (row && secretMatches(access.secret, row.secretHash)) {
        await tokenRepository.revokeAccessToken(row.id, input.partner.id, now);
      }
    }
  }

  /** RFC 7662. A partner learns only about its own live tokens; anything else is `active: false`. */
  async function introspect(input: { partner: PartnerRow; token: string }): Promise<IntrospectionResponse> {
    const inactive = { active: false };
    const now = clock.now().getTime();
    const claims = (row: {
      scopes: string[];
      accountId: string | null;
      expiresAt: Date;
      createdAt: Date;
    }) => ({
      active: true,
      scope: formatScopes(row.scopes),
      client_id: input.partner.clientId,
      exp: epochSeconds(row.expiresAt),
      iat: epochSeconds(row.createdAt),
      ...(row.accountId ? { sub: row.accountId } : {}),
      aud: input.partner.clientId,
      iss: issuer,
    });

    const access = parseOpaque(input.token, 'at');
    if (access) {
      const row = await tokenRepository.findAccessToken(access.id);
      if (!row || !secretMatches(access.secret, row.secretHash)) return inactive;
      if (row.partnerId !== input.partner.id || row.revokedAt || row.expiresAt.getTime() <= now) {
        return inactive;
      }
      return { ...claims(row), token_type: 'Bearer' };
    }
    const refresh = parseOpaque(input.token, 'rt');
    if (refresh) {
      const row = await grants.findRefreshToken(refresh.id);
      if (!row || !secretMatches(refresh.secret, row.secretHash)) return inactive;
      if (row.partnerId !== input.partner.id || row.revokedAt || row.rotatedAt) return inactive;
      if (row.expiresAt.getTime() <= now) return inactive;
      return { ...claims(row), token_type: 'refresh_token' };
    }
    return inactive;
  }

  return { issueCode, exchangeCode, refresh, revoke, introspect };
}

export type GrantService = ReturnType<typeof createGrantService>;

/** RFC 6749 §6: a refresh may keep or narrow the granted scopes, never widen them. */
export function narrowScopes(requested: string | undefined, granted: readonly string[]): Scope[] {
  const scopes = scopesWithin(requested, granted);
  if (!scopes) throw OAUTH_ERRORS.scopeBeyondGrant();
  return scopes;
}

// CONTRACT §4 Idempotency-Key on POST /v2/promotions: per partner, kept 24 h, bound to a hash of
// the request. The first response is stored and replayed byte for byte; a 2xx is stored in
// the same transaction as its effect, so a durable enrollment always has its replay.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { type ApiError, ERRORS, isApiError } from '../errors.js';
import type { Claim, IdempotencyRepository, KeyScope, StoredResponse } from './idempotency-repository.js';

export type { Claim, StoredResponse } from './idempotency-repository.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a running request owns its key; after that (its process died) a retry may take over. */
export const IDEMPOTENCY_LOCK_MS = 30 * 1000;
const KEY_PATTERN = /^[\x20-\x7E]{1,255}$/;
const CLAIM_ATTEMPTS = 3;
export const JSON_TYPE = 'application/json; charset=utf-8';

/** The header's value; undefined when absent; 400 when malformed. */
export function readIdempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !KEY_PATTERN.test(value)) {
    throw ERRORS.invalidIdempotencyKey();
  }
  return value;
}

/** JSON with object keys sorted, so key order and whitespace do not make a different request. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// The raw body, before validation strips what the API ignores: a different body is a different request.
const rawBodies = new WeakMap<FastifyRequest, unknown>();

/** preValidation hook: remembers the body as sent, for the request hash. */
export async function rememberRawBody(request: FastifyRequest): Promise<void> {
  rawBodies.set(request, request.body);
}

/**
 * What identifies "the same request": method, route, the authenticated partner and account,
 * and the body. A body token is authentication, not content: a retry with a refreshed
 * token is the same request.
 */
export function requestHash(
  request: FastifyRequest,
  principal: { partnerId: string; accountId: string | null },
) {
  const raw = rawBodies.get(request) ?? request.body;
  const body =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'user_access_token'))
      : raw;
  const material = canonicalJson([
    request.method,
    request.routeOptions.url ?? request.url,
    principal.partnerId,
    principal.accountId,
    body ?? null,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

const inUse = ERRORS.idempotencyKeyInUse;

/** An error the handler answered with, as it will be stored and replayed. */
export function errorResponse(err: ApiError): StoredResponse {
  return { status: err.statusCode, body: JSON.stringify(err.toEnvelope()), headers: { ...err.headers } };
}

export function createIdempotency(deps: { clock: Clock; keys: IdempotencyRepository }) {
  const { clock, keys } = deps;

  type Begun = { claim: Claim } | { replay: StoredResponse };

  /** Claims the key, or says why not: replay (same request, finished), 409 (running) or 422 (other request). */
  async function begin(scope: KeyScope, hash: string): Promise<Begun> {
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const now = clock.now();
      const claim: Claim = { ...scope, lockedUntil: new Date(now.getTime() + IDEMPOTENCY_LOCK_MS) };
      const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
      if (await keys.claim({ ...claim, requestHash: hash, expiresAt, now })) return { claim };

      const record = await keys.find(scope);
      // Released (or expired) between the two statements: claim again.
      if (!record || record.expiresAt.getTime() <= now.getTime()) continue;
      if (record.requestHash !== hash) throw ERRORS.idempotencyKeyReused();
      if (record.responseStatus !== null && record.responseBody !== null) {
        return {
          replay: {
            status: record.responseStatus,
            body: record.responseBody,
            headers: record.responseHeaders ?? {},
          },
        };
      }
      if (record.lockedUntil && record.lockedUntil.getTime() > now.getTime()) throw inUse();
      if (await keys.takeOver({ ...claim, requestHash: hash, now })) return { claim };
    }
    throw inUse();
  }

  /**
   * Runs `execute` at most once per key and request, with the claim it holds on the key.
   * `execute` stores its response with `storeResponse` inside the transaction of its effect.
   * 4xx errors are stored and replayed like successes (they changed nothing and will not
   * change); any other failure gives the key back so a retry runs afresh.
   */
  async function run(
    scope: KeyScope,
    hash: string,
    execute: (claim: Claim) => Promise<StoredResponse>,
  ): Promise<StoredResponse & { replayed: boolean }> {
    const begun = await begin(scope, hash);
    if ('replay' in begun) return { ...begun.replay, replayed: true };
    const { claim } = begun;
    try {
      return { ...(await execute(claim)), replayed: false };
    } catch (err) {
      if (isApiError(err) && err.statusCode < 500 && err.code !== 'idempotency_key_in_use') {
        const response = errorResponse(err);
        // Not stored is not harmful: nothing changed, and a retry simply runs again.
        await keys.complete(claim, response).catch(() => keys.release(claim).catch(() => {}));
        return { ...response, replayed: false };
      }
      await keys.release(claim).catch(() => {});
      throw err;
    }
  }

  /**
   * The step that makes a 2xx replayable: stores the response on the claimed key, in the
   * transaction of the effect. A claim lost meanwhile (its lock ran out and another request
   * took the key over) fails the transaction with 409 idempotency_key_in_use.
   */
  async function storeResponse(claim: Claim, response: StoredResponse, tx: Db): Promise<void> {
    if (!(await keys.complete(claim, response, tx))) throw inUse();
  }

  return { run, storeResponse };
}

export type Idempotency = ReturnType<typeof createIdempotency>;

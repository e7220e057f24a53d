/** One entry of the server's error envelope: `{"errors":[{status,code,title,detail,source?}]}`. */
export interface ErrorSource {
  pointer?: string;
  parameter?: string;
  header?: string;
}

/**
 * A non-2xx answer from the server, built from its error envelope (or, for /oauth/token, from
 * the RFC 6749 `{error, error_description}` body). `code` is the stable, machine-readable
 * part; `detail` says what to fix.
 */
export class PromotionsApiError extends Error {
  override readonly name = 'PromotionsApiError';
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly source: ErrorSource | undefined;
  /** Seconds the server asked to wait (429, 503), when it said. */
  readonly retryAfter: number | undefined;
  readonly requestId: string | undefined;
  /** The parsed body, as sent. */
  readonly body: unknown;

  constructor(fields: {
    status: number;
    code: string;
    title: string;
    detail: string;
    source?: ErrorSource;
    retryAfter?: number;
    requestId?: string;
    body?: unknown;
  }) {
    super(`${fields.status} ${fields.code}: ${fields.detail}`);
    this.status = fields.status;
    this.code = fields.code;
    this.title = fields.title;
    this.detail = fields.detail;
    this.source = fields.source;
    this.retryAfter = fields.retryAfter;
    this.requestId = fields.requestId;
    this.body = fields.body;
  }

  /** Reads the envelope of an error response (its body already parsed by openapi-fetch). */
  static from(response: Response, body: unknown): PromotionsApiError {
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const common = { status: response.status, retryAfter, requestId, body };
    const first = isRecord(body) && Array.isArray(body.errors) ? body.errors[0] : undefined;
    if (isRecord(first)) {
      return new PromotionsApiError({
        ...common,
        code: str(first.code) ?? 'unknown_error',
        title: str(first.title) ?? response.statusText,
        detail: str(first.detail) ?? response.statusText,
        source: isRecord(first.source) ? (first.source as ErrorSource) : undefined,
      });
    }
    if (isRecord(body) && typeof body.error === 'string') {
      return new PromotionsApiError({
        ...common,
        code: body.error,
        title: body.error,
        detail: str(body.error_description) ?? body.error,
      });
    }
    return new PromotionsApiError({
      ...common,
      code: `http_${response.status}`,
      title: response.statusText || `HTTP ${response.status}`,
      detail:
        typeof body === 'string' && body ? body.slice(0, 200) : `The server answered ${response.status}.`,
    });
  }
}

/** The server could not be reached (after the retries the call allowed). */
export class PromotionsConnectionError extends Error {
  override readonly name = 'PromotionsConnectionError';
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`Could not reach ${url}: ${describe(cause)}`, { cause });
  }
}

/** Retry-After: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // undici says "fetch failed" and puts the reason (ECONNREFUSED, ENOTFOUND…) in its cause.
  const inner: unknown = cause.cause;
  if (isRecord(inner)) {
    const why =
      typeof inner.code === 'string' ? inner.code : typeof inner.message === 'string' ? inner.message : '';
    if (why) return `${cause.message} (${why})`;
  }
  return cause.message;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

// SQLSTATE classes and driver codes that mean "the database is not there right now": the
// request changed nothing and may be retried, so it is a 503, never a 500.
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '53400',
  '57014',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '08007',
  '40001',
  '40P01',
]);
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'connection timeout',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  'PGlite is closed',
];

export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATES.has(e.code) || UNAVAILABLE_NODE_CODES.has(e.code)))
    return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => (e.message as string).includes(m)))
    return true;
  // drizzle wraps driver errors ("Failed query: …") with the original as the cause.
  return e.cause !== undefined && e.cause !== err && isDatabaseUnavailable(e.cause);
}

/** The SQLSTATE of a driver error, looking through drizzle's wrapper. */
export function sqlState(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** Class 22 "data exception": a value the database refuses (a NUL byte, an out-of-range number). */
export const isDataException = (err: unknown): boolean => sqlState(err)?.startsWith('22') ?? false;

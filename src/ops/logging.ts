import type { FastifyBaseLogger } from 'fastify';
import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';

/** What never reaches a log line: credentials in headers and bodies, wherever they appear. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.client_secret',
  '*.access_token',
  '*.refresh_token',
  '*.user_access_token',
  '*.code_verifier',
  '*.token',
  '*.csrf_token',
  // `code` only where it is a grant (a body or a query); `err.code` stays readable.
  'body.code',
  'query.code',
  'form.code',
  '*.body.code',
  '*.query.code',
  '*.form.code',
];

/** Query parameters whose values are credentials or grants. */
const SECRET_PARAMS = new Set([
  'access_token',
  'user_access_token',
  'refresh_token',
  'token',
  'code',
  'code_verifier',
  'client_secret',
  'password',
  'csrf_token',
]);

/** The URL for a log line: the values of credential query parameters become [redacted]. */
export function sanitizeUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq === -1 ? pair : pair.slice(0, eq);
      let name: string;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        name = rawName;
      }
      return SECRET_PARAMS.has(name.toLowerCase()) ? `${rawName}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

/** The server's pino logger: JSON lines with the redaction above. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

const { chindingsSym } = pino.symbols;

/**
 * Fastify's per-request logger (its `childLoggerFactory`): the parent's child, with the request
 * id appended to the child's bindings as pino writes a string binding. pino's own child() runs
 * each binding through the wildcard redaction paths, and @pinojs/redact parses every path again
 * on each call: that was 11% of the bytes a request allocated (issue 27's heap sampling). The
 * bindings here are the request id only, which the server made or checked (genReqId in
 * src/app.ts): nothing to redact. Whatever the request's logger logs later is redacted as ever.
 */
export function requestLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  const child = logger.child({}, options) as FastifyBaseLogger & { [chindingsSym]: string };
  for (const [key, value] of Object.entries(bindings)) {
    child[chindingsSym] += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
  }
  return child;
}

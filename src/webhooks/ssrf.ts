/**
 * The SSRF guard of CONTRACT §8. A webhook URL must be https:// and every address its host
 * resolves to must be public: loopback, private, link-local (and so cloud metadata),
 * CGNAT, multicast, unspecified, reserved and documentation ranges are refused, in IPv4
 * and IPv6 (IPv4-mapped/-compatible and NAT64 forms are unwrapped first).
 *
 * Checked at creation (checkWebhookUrl) and again at every delivery, where the HTTP agent's
 * `connect.lookup` (guardedLookup) resolves, checks, and hands the socket only the checked
 * addresses, so DNS rebinding between check and connect cannot slip through. An IP-literal
 * host is never looked up by Node, so checkWebhookUrl runs before each delivery as well.
 * `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_URLS) turns the guard off for local development.
 */
import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, incl. 169.254.169.254 metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast
] as const) {
  blocked.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local, incl. fd00:ec2::254 (AWS metadata)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, bits, 'ipv6');
}

/** The IPv4 address an IPv6 address embeds (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96). */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::|::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = Number.parseInt(hex[1]!, 16);
    const lo = Number.parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

/** Whether a webhook may connect to this IP address. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== null) return blocked.check(v4, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true; // not an IP address at all
}

export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

/** The system resolver (getaddrinfo), every address. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve(addresses),
    ),
  );

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Refuses a URL that is not https:// or whose host resolves to a forbidden address; with
 * `allowPrivate`, only checks that it is http(s). Throws UnsafeUrlError with a message safe
 * to show the partner.
 */
export async function checkWebhookUrl(
  raw: string,
  options: { allowPrivate: boolean; resolve?: Resolver },
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError('url must be an absolute URL.');
  }
  if (url.username || url.password) throw new UnsafeUrlError('url must not contain credentials.');
  if (options.allowPrivate) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new UnsafeUrlError('url must be an http:// or https:// URL.');
    return url;
  }
  if (url.protocol !== 'https:') throw new UnsafeUrlError('url must be an https:// URL.');
  const host = hostOf(url);
  if (isIP(host)) {
    if (isForbiddenAddress(host))
      throw new UnsafeUrlError('url must not point at a private or reserved address.');
    return url;
  }
  let addresses: Array<{ address: string }>;
  try {
    addresses = await (options.resolve ?? systemResolver)(host);
  } catch {
    throw new UnsafeUrlError(`url host ${host} does not resolve.`);
  }
  if (addresses.length === 0) throw new UnsafeUrlError(`url host ${host} does not resolve.`);
  if (addresses.some((a) => isForbiddenAddress(a.address))) {
    throw new UnsafeUrlError(`url host ${host} resolves to a private or reserved address.`);
  }
  return url;
}

/**
 * A `lookup` for the socket: resolves with `resolve`, refuses if any address is forbidden,
 * and returns only the checked addresses, which are what the socket then connects to.
 */
export function guardedLookup(resolve: Resolver = systemResolver): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0 || addresses.some((a) => isForbiddenAddress(a.address))) {
          const err = Object.assign(new Error(`${hostname} resolves to a private or reserved address`), {
            code: 'EWEBHOOKADDR',
          });
          callback(err);
          return;
        }
        if (options?.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err) => callback(err),
    );
  }) as unknown as LookupFunction;
}

import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { assertNoViolations } from '../helpers/contract.js';
import { sleep } from '../helpers/processes.js';

// CONTRACT §2: slow and greedy clients against a real listening server (not inject), with the
// HTTP bounds shortened so the file runs in seconds; the defaults are the same code with
// larger numbers (config.ts). Each attack is measured against a baseline taken in this file.
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const CHECK_INTERVAL_MS = 1_000;
/** How long past its timeout a socket may stay open: one check interval and scheduling slack. */
const CUT_OFF_SLACK_MS = CHECK_INTERVAL_MS + 1_500;

let ctx: TestContext;
let port: number;
const open: Socket[] = [];
/** Median latency of GET /readyz before any attack. */
let baseline = 0;

beforeAll(async () => {
  ctx = await createTestApp({
    env: {
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_MAX_CONNECTIONS: '1100',
    },
  });
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  port = (ctx.app.server.address() as { port: number }).port;
  // The baseline, before any attack: warmed up first.
  await medianLatency(5);
  baseline = await medianLatency();
}, 60_000);

afterAll(async () => {
  for (const s of open) s.destroy();
  assertNoViolations(ctx.violations.splice(0));
  await ctx.app.close();
  await ctx.db.drop();
});

function socket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
    open.push(s);
  });
}

/** Resolves with the milliseconds until the server closed `s`, and what it sent before. */
function closedBy(s: Socket): Promise<{ afterMs: number; received: string }> {
  const t0 = Date.now();
  let received = '';
  s.on('data', (d) => {
    received += d.toString('latin1');
  });
  s.on('error', () => {});
  return new Promise((resolve) => s.once('close', () => resolve({ afterMs: Date.now() - t0, received })));
}

/** Median latency of `n` sequential GET /readyz (a database round trip) on fresh connections. */
async function medianLatency(n = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)]!;
}

/** Within the normal latency: a generous factor of the baseline, plus a little for timer noise. */
const withinNormal = (ms: number) => expect(ms).toBeLessThan(baseline * 10 + 25);

describe('the HTTP bounds (CONTRACT §7)', () => {
  it('default to 60 s silent, 10 s headers, 30 s request, 72 s keep-alive, 10,000 sockets', () => {
    expect(loadConfig({})).toMatchObject({
      httpConnectionTimeoutMs: 60_000,
      httpHeadersTimeoutMs: 10_000,
      httpRequestTimeoutMs: 30_000,
      httpKeepAliveTimeoutMs: 72_000,
      httpMaxConnections: 10_000,
    });
  });

  it('refuses a headers timeout longer than the request timeout, naming the variable', () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toThrow(
      new ConfigError('invalid HTTP_HEADERS_TIMEOUT_MS: must be at most HTTP_REQUEST_TIMEOUT_MS'),
    );
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0' })).toThrow(
      'invalid HTTP_MAX_CONNECTIONS: must be at least 1',
    );
  });
});

describe('slow and greedy clients', { timeout: 60_000 }, () => {
  it('closes slowloris sockets that never finish their headers, and keeps answering others', async () => {
    const attackers = await Promise.all(Array.from({ length: 50 }, () => socket()));
    const closed = attackers.map(closedBy);
    const dribbling = setInterval(() => {
      for (const s of attackers) if (!s.destroyed) s.write('X-Slow: a\r\n');
    }, 200);
    try {
      for (const s of attackers) s.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      withinNormal(await medianLatency());
      const results = await Promise.all(closed);
      for (const r of results) {
        expect(r.afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + CUT_OFF_SLACK_MS);
        // Closed, never answered as if the request had been complete.
        expect(r.received).not.toMatch(/^HTTP\/1\.1 200/);
      }
    } finally {
      clearInterval(dribbling);
    }
  });

  it('cuts off a body dribbled at 1 byte a second once the request timeout passes', async () => {
    const s = await socket();
    const result = closedBy(s);
    s.write(
      'POST /v2/promotions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
    );
    const dribbling = setInterval(() => {
      if (!s.destroyed) s.write('{');
    }, 1_000);
    try {
      const others = async () => {
        await sleep(500);
        return medianLatency();
      };
      const [latency, r] = await Promise.all([others(), result]);
      withinNormal(latency);
      expect(r.afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      expect(r.afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + CUT_OFF_SLACK_MS);
      // The socket is closed (or told 408), never a handler's answer to a half-read body.
      expect(r.received === '' || r.received.startsWith('HTTP/1.1 408')).toBe(true);
    } finally {
      clearInterval(dribbling);
    }
  });

  it('holds 1,000 idle keep-alive sockets open and still answers others at normal speed', async () => {
    // Each asks once as soon as it is connected, keep-alive, and then sits idle on its open
    // connection. (A socket left silent before its first request is closed by the headers
    // timeout, 1 s here: opening all 1,000 first could take longer than that on a slow machine.)
    const askOnce = async (): Promise<{ socket: Socket; status: string }> => {
      const s = await socket();
      const status = new Promise<string>((resolve) => {
        s.once('data', (d) => resolve(d.toString('latin1').split('\r\n', 1)[0]!));
        s.once('close', () => resolve('closed before an answer'));
      });
      s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      return { socket: s, status: await status };
    };
    const idle: Socket[] = [];
    for (let i = 0; i < 1_000; i += 100) {
      const asked = await Promise.all(Array.from({ length: 100 }, askOnce));
      expect(asked.map((a) => a.status)).toEqual(Array(100).fill('HTTP/1.1 200 OK'));
      idle.push(...asked.map((a) => a.socket));
    }
    withinNormal(await medianLatency());
    expect(idle.filter((s) => s.destroyed).length).toBe(0);
    for (const s of idle) s.destroy();
  });

  it('answers 431 in the envelope to 64 KB of headers, and keeps answering others', async () => {
    const s = await socket();
    const result = closedBy(s);
    const big = Array.from({ length: 64 }, (_, i) => `X-Big-${i}: ${'a'.repeat(1000)}\r\n`).join('');
    s.write(`GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n${big}\r\n`);
    const r = await result;
    expect(r.received).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(r.received.slice(r.received.indexOf('\r\n\r\n') + 4)) as {
      errors: Array<{ code: string; status: string }>;
    };
    expect(body.errors[0]).toMatchObject({ code: 'request_header_fields_too_large', status: '431' });
    withinNormal(await medianLatency());
  });

  it('closes connections past HTTP_MAX_CONNECTIONS on arrival and serves again once they go', async () => {
    // 1,100 keep-alive sockets, each past one request (a silent socket would be closed by the
    // headers timeout before all are in; an idle keep-alive one stays for its 72 s).
    const greedy = await Promise.all(
      Array.from({ length: 1_100 }, async () => {
        const s = await socket();
        const answered = new Promise<void>((resolve) => {
          s.once('data', () => resolve());
          s.once('close', () => resolve());
        });
        s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        await answered;
        return s;
      }),
    );
    const extra = await socket();
    const r = await closedBy(extra);
    expect(r.received).toBe('');
    // At once: not after the headers timeout, which closes any silent socket.
    expect(r.afterMs).toBeLessThan(HEADERS_TIMEOUT_MS / 2);
    for (const s of greedy) s.destroy();
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (res) => res.status,
        () => 0,
      );
      if (status !== 200) await sleep(50);
    }
    expect(status).toBe(200);
  });
});

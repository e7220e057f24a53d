// What a partner's HTTP client meets at the edges: JSON sessions on bodiless requests (CONTRACT §4),
// requests arriving while the server shuts down, and errors raised before routing. Every error
// wears the envelope, and errors[].status always equals the HTTP status.

import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestContext, useTestApp } from '../helpers/app.js';

const ctx = useTestApp();
const json = { 'content-type': 'application/json' };

let appToken: string;
let userToken: string;
let promotionId: string;

beforeAll(async () => {
  const partner = await ctx.fixtures.partner();
  const account = await ctx.fixtures.account();
  appToken = await ctx.fixtures.appToken(partner.id);
  userToken = await ctx.fixtures.userToken(partner.id, account.id);
  promotionId = await ctx.fixtures.promotion(partner.id);
});

const expectEnvelope = (status: number, code: string, body: unknown) =>
  expect(body).toMatchObject({ errors: [{ status: String(status), code }] });

describe('a JSON session on bodiless requests (regression: DELETE answered 400 "The request body is empty")', () => {
  it('DELETE with Content-Type: application/json and no body unenrolls, as without it', async () => {
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...json, ...bearer(userToken) },
      payload: { promotion_id: promotionId },
    });
    expect(created.statusCode).toBe(201);
    const url = `/v2/promotions/${created.json().enrollment_id}`;

    const read = await ctx.app.inject({ method: 'GET', url, headers: { ...json, ...bearer(appToken) } });
    expect(read.statusCode).toBe(200);
    expect(read.json().status).toBe('enrolled');

    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url,
      headers: { ...json, ...bearer(appToken) },
    });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');

    const again = await ctx.app.inject({ method: 'DELETE', url, headers: { ...json, ...bearer(appToken) } });
    expect(again.statusCode).toBe(404);
    expectEnvelope(404, 'enrollment_not_found', again.json());
  });

  it('DELETE with Content-Length: 0 and a JSON type answers like one without either', async () => {
    const url = `/v2/promotions/${promotionId}:00000000-0000-4000-8000-000000000000`;
    const withType = await ctx.app.inject({
      method: 'DELETE',
      url,
      headers: { ...json, 'content-length': '0', ...bearer(appToken) },
    });
    const without = await ctx.app.inject({ method: 'DELETE', url, headers: bearer(appToken) });
    expect(withType.statusCode).toBe(404);
    expect(withType.json()).toEqual(without.json());
  });

  it('a POST that needs a body still gets 400 invalid_request when it is empty', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v2/promotions',
      headers: { ...json, ...bearer(userToken) },
    });
    expect(res.statusCode).toBe(400);
    expectEnvelope(400, 'invalid_request', res.json());
  });
});

/** Raw HTTP/1.1 on one socket, so requests can be cut, overlong or badly formed. */
function rawRequest(port: number, text: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), headers: head, body });
    });
    socket.write(text);
  });
}

describe('errors raised before routing', () => {
  let port: number;
  beforeAll(async () => {
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    port = (ctx.app.server.address() as AddressInfo).port;
  });

  const get = (path: string, extra = '') =>
    rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${extra}\r\n`);

  it('414 uri_too_long for an over-long path parameter, status "414"', async () => {
    const res = await get(`/v2/promotions/${'a'.repeat(600)}`);
    expect(res.status).toBe(414);
    expectEnvelope(414, 'uri_too_long', JSON.parse(res.body));
  });

  it('431 request_header_fields_too_large past 16 KiB of headers, status "431"', async () => {
    const res = await get('/v2/promotions/x', `X-Padding: ${'p'.repeat(20_000)}\r\n`);
    expect(res.status).toBe(431);
    expect(res.headers).toMatch(/content-type: application\/json; charset=utf-8/i);
    expectEnvelope(431, 'request_header_fields_too_large', JSON.parse(res.body));
  });

  it('400 invalid_request for a request that is not HTTP, status "400"', async () => {
    const res = await rawRequest(port, 'NOT A REQUEST\r\n\r\n');
    expect(res.status).toBe(400);
    expectEnvelope(400, 'invalid_request', JSON.parse(res.body));
  });

  it('400 invalid_request for a malformed URL, status "400"', async () => {
    const res = await get('/v2/promotions/%E0%A4%A');
    expect(res.status).toBe(400);
    expectEnvelope(400, 'invalid_request', JSON.parse(res.body));
  });

  it('404 not_found for an unknown route, status "404"', async () => {
    const res = await get('/v3/nothing');
    expect(res.status).toBe(404);
    expectEnvelope(404, 'not_found', JSON.parse(res.body));
  });
});

describe("a request arriving while the server shuts down (regression: Fastify's own 503 body)", () => {
  let other: TestContext;
  afterAll(async () => {
    await other?.db.drop();
  });

  it('answers 503 service_unavailable in the envelope with Retry-After and Connection: close', async () => {
    other = await createTestApp({ database: undefined });
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = other.app.server.address() as AddressInfo;
    // The request line is on the wire before closing starts, so the connection is not idle
    // and survives; the rest of the request arrives after.
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    let data = '';
    socket.on('data', (chunk) => {
      data += chunk.toString('utf8');
    });
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const closing = other.app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write('\r\n');
    await ended;
    await closing;

    const [head = '', body = ''] = data.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable');
    expect(head).toMatch(/\r\nretry-after: 5\r\n/i);
    expect(head).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(body)).toEqual({
      errors: [
        {
          status: '503',
          code: 'service_unavailable',
          title: 'Service Unavailable',
          detail: 'The server is shutting down. Retry on another connection.',
        },
      ],
    });
  });
});

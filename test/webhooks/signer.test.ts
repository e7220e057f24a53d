import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSecret, signedHeaders } from '../../src/webhooks/signer.js';

const body = '{"type":"enrollment.created","timestamp":"2026-04-28T10:00:00Z","data":{"status":"enrolled"}}';
const now = () => Math.floor(Date.now() / 1000);

describe('Standard Webhooks signer, checked by the standardwebhooks package', () => {
  it('signs what the library verifies, and the library returns the payload', () => {
    const secret = generateSecret();
    const headers = signedHeaders({ id: 'evt_abc', timestamp: now(), body, secrets: [secret] });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('matches the library signature byte for byte', () => {
    const secret = generateSecret();
    const ts = now();
    const ours = signedHeaders({ id: 'evt_abc', timestamp: ts, body, secrets: [secret] })[
      'webhook-signature'
    ];
    expect(ours).toBe(new Webhook(secret).sign('evt_abc', new Date(ts * 1000), body));
  });

  it('rejects a tampered body, a wrong secret and a timestamp older than 5 minutes', () => {
    const secret = generateSecret();
    const headers = signedHeaders({ id: 'evt_abc', timestamp: now(), body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body.replace('enrolled', 'expired'), { ...headers })).toThrow(
      'No matching signature found',
    );
    expect(() => new Webhook(generateSecret()).verify(body, { ...headers })).toThrow(
      'No matching signature found',
    );
    const old = signedHeaders({ id: 'evt_abc', timestamp: now() - 301, body, secrets: [secret] });
    expect(() => new Webhook(secret).verify(body, { ...old })).toThrow('Message timestamp too old');
    const changedId = { ...headers, 'webhook-id': 'evt_other' };
    expect(() => new Webhook(secret).verify(body, changedId)).toThrow('No matching signature found');
  });

  it('during a rotation sends two signatures, each secret verifies alone', () => {
    const current = generateSecret();
    const previous = generateSecret();
    const headers = signedHeaders({ id: 'evt_abc', timestamp: now(), body, secrets: [current, previous] });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret()).verify(body, { ...headers })).toThrow();
  });
});

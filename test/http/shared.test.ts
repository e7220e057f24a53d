// src/http/: what the consent page and the console share, held by its own tests (the features'
// tests hold them through the pages too).
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { readCookie } from '../../src/http/cookies.js';
import { readParams } from '../../src/http/form.js';
import { escapeHtml } from '../../src/http/html-escape.js';
import { requireRouteDeclaration } from '../../src/http/route-declaration.js';

describe('src/http', () => {
  it('readCookie finds a cookie by exact name among several, trimmed, and nothing else', () => {
    const header = 'a=1; console_session=abc.def ;  csrf = x=y';
    expect(readCookie(header, 'console_session')).toBe('abc.def');
    expect(readCookie(header, 'csrf')).toBe('x=y');
    expect(readCookie(header, 'session')).toBeUndefined();
    expect(readCookie(undefined, 'a')).toBeUndefined();
    expect(readCookie('=orphan; b', 'b')).toBeUndefined();
  });

  it('escapeHtml escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml('plain text')).toBe('plain text');
  });

  it('readParams keeps single values, drops empty ones and names the first repeated or non-text one', () => {
    expect(readParams({ a: '1', b: '', c: 'x' })).toEqual({ values: { a: '1', c: 'x' }, repeated: [] });
    expect(readParams({ scope: ['a', 'b'], d: '4' })).toEqual({
      values: { d: '4' },
      repeated: ['scope'],
      problem: { kind: 'repeated', name: 'scope' },
    });
    expect(readParams({ n: { nested: true } })).toEqual({
      values: {},
      repeated: [],
      problem: { kind: 'invalid', name: 'n' },
    });
  });

  it('requireRouteDeclaration stops the start-up at a route without its declaration, and lets declared ones pass', async () => {
    const app = Fastify();
    requireRouteDeclaration(app, 'role', (value) => value !== undefined, 'a role');
    app.get('/declared', { config: { role: 'viewer' } }, async () => 'ok');
    expect(() => app.get('/forgotten', async () => 'open')).toThrow(
      'GET /forgotten must declare config.role (a role)',
    );
    expect((await app.inject({ method: 'GET', url: '/declared' })).body).toBe('ok');
    await app.close();
  });
});

// src/auth/scopes.ts: scope strings parsed, checked and formatted in one canonical order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatScopes, parseScopeString, SCOPES, scopesWithin } from '../../src/auth/scopes.js';

const scopeString = fc
  .array(fc.constantFrom(...SCOPES, '', ' '), { maxLength: 6 })
  .map((parts) => parts.join(' '));

describe('scopes', () => {
  it('lists SCOPES alphabetically: their order is the canonical order of every scope string', () => {
    expect([...SCOPES].sort()).toEqual([...SCOPES]);
  });

  it('parses a scope string to its known scopes, each once, sorted; null for an unknown one', () => {
    expect(parseScopeString('promotions:write promotions:read promotions:write')).toEqual([
      'promotions:read',
      'promotions:write',
    ]);
    expect(parseScopeString('  promotions:read  ')).toEqual(['promotions:read']);
    expect(parseScopeString('')).toEqual([]);
    expect(parseScopeString('promotions:read admin')).toBeNull();
    expect(parseScopeString('PROMOTIONS:READ')).toBeNull();
    fc.assert(
      fc.property(scopeString, (value) => {
        const parts = value.split(' ').filter(Boolean);
        expect(parseScopeString(value)).toEqual([...new Set(parts)].sort());
      }),
    );
  });

  it('formats scopes sorted and space-separated, whatever order they come in', () => {
    expect(formatScopes(['promotions:write', 'promotions:read'])).toBe('promotions:read promotions:write');
    expect(formatScopes(['promotions:write'])).toBe('promotions:write');
    expect(formatScopes([])).toBe('');
    expect(formatScopes(['zeta', 'alpha'])).toBe('alpha zeta');
  });

  it('grants what was asked within what is allowed, all of it when nothing was asked', () => {
    const both = ['promotions:write', 'promotions:read'];
    expect(scopesWithin(undefined, both)).toEqual(['promotions:read', 'promotions:write']);
    expect(scopesWithin('promotions:read', both)).toEqual(['promotions:read']);
    expect(scopesWithin('promotions:write', ['promotions:read'])).toBeNull();
    expect(scopesWithin('', both)).toBeNull();
    expect(scopesWithin('nope', both)).toBeNull();
  });
});

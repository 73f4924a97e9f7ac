import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry } from '../../src/lib/cache/codec.js';

describe('cache entry codec', () => {
  it('stores plain results as JSON', () => {
    const v = { drafts: [{ id: 'x', parts: [{ logic: { kind: 'any' } }], value: null }], failed: 0 };
    const body = encodeEntry(v)!;
    expect(String.fromCharCode(body[0]!)).toBe('J');
    expect(decodeEntry(body)).toEqual(v);
  });

  it('falls back to v8 for what JSON would change', () => {
    for (const v of [{ n: Infinity }, { n: -Infinity }, { n: NaN }, { a: [1, undefined, 3] }, { b: 10n }]) {
      const body = encodeEntry(v)!;
      expect(String.fromCharCode(body[0]!)).toBe('V');
      expect(decodeEntry(body)).toEqual(v);
    }
  });

  it('refuses what cannot be stored and rejects unknown bodies', () => {
    expect(encodeEntry({ f: () => 1, s: Symbol('x') })).toBeNull();
    expect(() => decodeEntry(Buffer.from('Zxx'))).toThrow();
  });
});

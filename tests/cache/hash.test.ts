import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { structuralHash } from '../../src/lib/cache/hash.js';

describe('structuralHash', () => {
  it('depends on content, not on how V8 stores it', () => {
    const built = { name: ['mac', 'ro'].join(''), args: new Map([['a', new Set([1, 2])]]), when: new Date(0), t: 'é'.normalize('NFC') };
    const restored = deserialize(serialize(built)) as typeof built;
    expect(structuralHash(restored)).toBe(structuralHash(built));
    expect(structuralHash({ ...built, name: 'macro2' })).not.toBe(structuralHash(built));
    expect(structuralHash({ a: 1, b: 2 })).not.toBe(structuralHash({ a: '1', b: 2 }));
    expect(structuralHash([1, [2]])).not.toBe(structuralHash([[1], 2]));
  });

  it('skips the given objects and handles shared and cyclic references', () => {
    const catalog = { huge: 'tables' };
    const other = { huge: 'different' };
    expect(structuralHash({ c: catalog, x: 1 }, new Set([catalog]))).toBe(structuralHash({ c: other, x: 1 }, new Set([other])));
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(structuralHash(cyclic)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses values with functions', () => {
    expect(structuralHash({ lookup: () => 1 })).toBeNull();
  });
});

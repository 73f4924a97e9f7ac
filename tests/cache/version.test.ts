import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, run, setup } from './toy-source.js';

// The code fingerprint stands for INDEX_CACHE_VERSION plus the parsers' source text.
const fp = vi.hoisted(() => ({ value: 'v1' }));
vi.mock('../../src/lib/cache/version.js', () => ({ INDEX_CACHE_VERSION: 'test', codeFingerprint: () => fp.value }));

afterEach(cleanup);

describe('IndexCache version', () => {
  it('drops every cached parse when the version or the parsing code changes', () => {
    const env = setup({ 'a.rule': 'alpha\n', 'b.rule': 'beta\n' });
    expect(run(env).loads).toEqual(['a.rule', 'b.rule']);
    expect(run(env).loads).toEqual([]);
    fp.value = 'v2';
    expect(run(env).loads).toEqual(['a.rule', 'b.rule']);
    expect(run(env).loads).toEqual([]);
  });
});

import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readEntryFile } from '../../src/lib/cache/entry-file.js';
import { cleanup, run, setup } from './toy-source.js';

afterEach(cleanup);

describe('IndexCache', () => {
  it('parses every file cold, none warm, and gives the same drafts', () => {
    const env = setup({ 'a.rule': 'alpha\n', 'b/c.rule': 'gamma\n' });
    const cold = run(env);
    expect(cold.loads).toEqual(['a.rule', 'b/c.rule']);
    expect(cold.stats).toMatchObject({ hits: 0, misses: 2 });
    const warm = run(env);
    expect(warm.loads).toEqual([]);
    expect(warm.stats).toMatchObject({ hits: 2, misses: 0, bytesWritten: 0 });
    expect(warm.drafts).toEqual(cold.drafts);
  });

  it('misses on a content change only, and on a forced miss', () => {
    const env = setup({ 'a.rule': 'alpha\n', 'b.rule': 'beta\n' });
    run(env);
    writeFileSync(join(env.src, 'a.rule'), 'alpha two\n');
    const r = run(env);
    expect(r.loads).toEqual(['a.rule']);
    expect(r.titles).toEqual(['alpha two', 'beta']);
    expect(run(env, (_s, p) => p === 'b.rule').loads).toEqual(['b.rule']);
  });

  it('drops entries of files that are gone', () => {
    const env = setup({ 'a.rule': 'alpha\n', 'b.rule': 'beta\n' });
    run(env);
    unlinkSync(join(env.src, 'b.rule'));
    const r = run(env);
    expect(r.stats.dropped).toBe(1);
    const file = join(env.cacheDir, 'files', 'toy.bin');
    const buf = readFileSync(file);
    const key = buf.subarray(12, 12 + buf.readUInt32LE(8)).toString('utf8');
    expect([...readEntryFile(file, key)!.keys()]).toEqual(['a.rule']);
  });

  it('is invalidated by a catalog change but not by the sources file or lock', () => {
    const env = setup({ 'a.rule': 'alpha\n' });
    run(env);
    writeFileSync(join(env.catalogDir, 'sources.yaml'), 'sources: [changed]\n');
    writeFileSync(join(env.catalogDir, 'sources.lock.json'), '{}');
    expect(run(env).loads).toEqual([]);
    writeFileSync(join(env.catalogDir, 'events', 'a.yaml'), 'provider: B\n');
    expect(run(env).loads).toEqual(['a.rule']);
  });

  it("is invalidated when the adapter's prepared side inputs change", () => {
    const env = setup({ 'a.rule': 'alpha\n' });
    run(env);
    writeFileSync(join(env.src, 'side.txt'), '!');
    const r = run(env);
    expect(r.loads).toEqual(['a.rule']);
    expect(r.titles).toEqual(['alpha!']);
  });

  it('treats a corrupt or foreign cache file as empty', () => {
    const env = setup({ 'a.rule': 'alpha\n' });
    run(env);
    const file = join(env.cacheDir, 'files', 'toy.bin');
    writeFileSync(file, readFileSync(file).subarray(0, 30));
    expect(run(env).loads).toEqual(['a.rule']);
    expect(run(env).loads).toEqual([]);
  });
});

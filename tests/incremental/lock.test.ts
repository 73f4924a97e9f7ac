/**
 * Runs sharing a cache folder take turns on the index state: while one holds it, another runs in
 * full and leaves it alone; a lock left by a process that is gone is taken over.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/lib/incremental/lock.js';
import { runIndex } from '../../src/lib/pipeline/run.js';

const tmp = mkdtempSync(join(tmpdir(), 'index-lock-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('index state lock', () => {
  it('is exclusive, released, and taken over from a process that is gone', () => {
    const dir = join(tmp, 'a');
    const release = acquireLock(dir)!;
    expect(release).toBeTypeOf('function');
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(String(process.pid));
    expect(acquireLock(dir)).toBeNull();
    release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    // A pid that cannot be alive (above the kernel's pid limit).
    writeFileSync(join(dir, 'lock'), '4194305');
    const again = acquireLock(dir);
    expect(again).toBeTypeOf('function');
    again!();
  });

  it('a run that finds the state locked runs in full and leaves the state alone', () => {
    const cacheDir = join(tmp, 'cache');
    const opts = { sourcesFile: 'catalog/sources.yaml', root: resolve('.'), cacheDir };
    expect(runIndex(opts).incremental).toMatchObject({ mode: 'full', reason: 'no-state' });
    const stateFile = join(cacheDir, 'state', 'state.bin');
    const before = readFileSync(stateFile);
    const release = acquireLock(join(cacheDir, 'state'))!;
    try {
      const locked = runIndex(opts);
      expect(locked.incremental).toMatchObject({ mode: 'full', reason: 'locked' });
      expect(readFileSync(stateFile).equals(before)).toBe(true);
    } finally {
      release();
    }
    expect(runIndex(opts).incremental?.mode).toBe('warm');
    expect(existsSync(join(cacheDir, 'state', 'lock'))).toBe(false);
  });
});

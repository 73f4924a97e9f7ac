import { cpSync, mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/load.js';
import { IndexCache } from '../../src/lib/cache/index.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('IndexCache.loadCatalog', () => {
  it('restores the validated catalog until a catalog file changes, with this run’s folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'catalog-cache-'));
    made.push(root);
    const catalogDir = join(root, 'catalog');
    cpSync('catalog', catalogDir, { recursive: true });
    let loads = 0;
    const open = (dir = catalogDir) =>
      new IndexCache({ dir: join(root, 'cache'), catalogDir: dir }).loadCatalog(() => {
        loads++;
        return loadCatalog(dir);
      });
    const first = open();
    const second = open();
    expect(loads).toBe(1);
    expect(second.events).toEqual(first.events);
    expect(second.mappings).toEqual(first.mappings);
    expect(second.sigmaLogsources).toEqual(first.sigmaLogsources);
    // The same content in another folder: served from the cache, pointing at the new folder.
    const moved = join(root, 'moved');
    cpSync(catalogDir, moved, { recursive: true });
    expect(open(moved).dir).toBe(moved);
    expect(loads).toBe(1);
    appendFileSync(join(catalogDir, 'logsources', 'sigma.yaml'), '\n# edited\n');
    open();
    expect(loads).toBe(2);
  });
});

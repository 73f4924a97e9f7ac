/** A toy source (one rule per `*.rule` file) run through collectSource with an IndexCache. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndexCache } from '../../src/lib/cache/index.js';
import { collectSource } from '../../src/lib/pipeline/collect.js';
import type { Catalog } from '../../src/lib/catalog/load.js';
import type { SourceConfig } from '../../src/lib/catalog/schema.js';
import type { RuleDraft } from '../../src/lib/model/rule.js';
import type { SourceAdapter } from '../../src/lib/sources/adapter.js';

const made: string[] = [];
export function cleanup(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A source folder of `*.rule` files, a catalog folder and a cache folder. */
export function setup(files: Record<string, string>) {
  const root = mkdtempSync(join(tmpdir(), 'index-cache-'));
  made.push(root);
  const src = join(root, 'src');
  const catalogDir = join(root, 'catalog');
  mkdirSync(join(catalogDir, 'events'), { recursive: true });
  writeFileSync(join(catalogDir, 'events', 'a.yaml'), 'provider: A\n');
  writeFileSync(join(catalogDir, 'sources.yaml'), 'sources: []\n');
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(src, p, '..'), { recursive: true });
    writeFileSync(join(src, p), t);
  }
  return { root, src, catalogDir, cacheDir: join(root, 'cache') };
}

const config: SourceConfig = { id: 'toy', format: 'sigma', dir: 'src', include: ['**/*.rule'], exclude: [] };
const catalog = {} as Catalog;

/** A toy adapter: one rule per file, titled by the first line; `prepare` reads `side.txt`. */
export function toyAdapter(loads: string[]): SourceAdapter<{ suffix: string }> {
  return {
    format: 'sigma',
    prepare: (ctx) => ({ prepared: { suffix: existsSync(join(ctx.sourceDir, 'side.txt')) ? readFileSync(join(ctx.sourceDir, 'side.txt'), 'utf8') : '' }, diagnostics: [] }),
    load: (file, _ctx, prepared) => {
      loads.push(file.path);
      const title = file.text.split('\n')[0]! + prepared.suffix;
      const draft: RuleDraft = {
        id: file.path, title, description: '', vendor: 'sigma', path: file.path, status: 'test', deprecated: false,
        references: [], falsePositives: [], tags: [], techniqueTags: [], type: 'detection', language: 'sigma', query: file.text,
        parts: [{ logic: { kind: 'pred', pred: { field: 'Image', operator: 'eq', value: title } } }],
        logsource: 'x', events: [], mappingTables: [], meta: {}, sections: [],
      };
      return { rules: [draft], diagnostics: [] };
    },
  };
}

export function run(env: ReturnType<typeof setup>, forceMiss?: (s: string, p: string) => boolean) {
  const loads: string[] = [];
  const cache = new IndexCache({ dir: env.cacheDir, catalogDir: env.catalogDir, ...(forceMiss ? { forceMiss } : {}) });
  const loaded = collectSource(config, env.src, null, cache.adapterFor(config, toyAdapter(loads)), catalog, { load: 0, parse: 0 }, { cache: cache.hook });
  cache.save();
  return { loads: loads.sort(), titles: loaded.drafts.map((d) => d.title).sort(), stats: cache.stats, drafts: loaded.drafts };
}


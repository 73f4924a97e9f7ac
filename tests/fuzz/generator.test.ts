/**
 * The mutant generator itself: reproducible from (base seed, index), never touching its seeds,
 * exercising every operator; and the unmutated seeds load through the raw loaders exactly as the
 * pipeline loads them (so a fuzz failure is the mutation's doing, not the harness's).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/lib/catalog/load.js';
import { FORMAT_SPECS, GENERIC_TREE_OPS, Rng, TEXT_OPS, createFuzzEnv, generateMutant, loadFile, mutantSeed } from '../../src/lib/fuzz/index.js';
import type { Vendor } from '../../src/lib/model/rule.js';
import { ADAPTERS } from '../../src/lib/pipeline/adapters.js';
import { collectSource } from '../../src/lib/pipeline/collect.js';
import { loadSourcesConfig } from '../../src/lib/pipeline/config.js';

const FORMATS: Vendor[] = ['sigma', 'elastic', 'splunk'];
const envs = new Map(FORMATS.map((f) => [f, createFuzzEnv(f)]));
const env = (f: Vendor) => envs.get(f)!;

describe('Rng (mulberry32)', () => {
  it('is a pure function of its seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBe(100);
    expect(new Rng(43).next()).not.toBe(xs[0]);
  });

  it('gives mutants independent seeds', () => {
    const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => mutantSeed(1, i)));
    expect(seeds.size).toBe(10_000);
  });

  it('keeps int() inside its bounds and reaches both ends', () => {
    const r = new Rng(7);
    const xs = Array.from({ length: 2000 }, () => r.int(3, 6));
    expect(Math.min(...xs)).toBe(3);
    expect(Math.max(...xs)).toBe(6);
  });
});

describe.each(FORMATS)('%s mutants', (format) => {
  it('are reproducible from the base seed and the index', () => {
    const seeds = env(format).seeds;
    for (const i of [0, 1, 17, 999]) {
      const a = generateMutant(format, seeds, 5, i);
      const b = generateMutant(format, seeds, 5, i);
      expect(b).toEqual(a);
      expect(a.ops.length).toBeGreaterThan(0);
    }
    expect(generateMutant(format, seeds, 5, 1).text).not.toBe(generateMutant(format, seeds, 6, 1).text);
  });

  it('leave their seeds untouched and use every operator', () => {
    const seeds = env(format).seeds;
    const before = seeds.map((s) => s.text);
    const used = new Set<string>();
    for (let i = 0; i < 3000; i++) for (const op of generateMutant(format, seeds, 11, i).ops) used.add(op);
    expect(seeds.map((s) => s.text)).toEqual(before);
    const spec = FORMAT_SPECS[format];
    const all = [
      ...GENERIC_TREE_OPS.filter((o) => o.name !== 'alias-bomb' || spec.syntax === 'yaml').map((o) => o.name),
      ...spec.ops.map((o) => o.name),
      ...spec.queryOps.map((o) => `query:${o.name}`),
      ...TEXT_OPS.map((o) => o.name),
    ];
    expect(all.filter((name) => !used.has(name))).toEqual([]);
  });

  it('start from seeds that load through the raw loader exactly as the pipeline loads them', () => {
    const root = resolve('.');
    const cfg = loadSourcesConfig(resolve('catalog/sources.yaml'), root);
    const src = cfg.file.sources.find((s) => s.format === format)!;
    const timings = { load: 0, parse: 0 };
    const pipeline = collectSource(src, resolve(root, src.dir), null, ADAPTERS[format], loadCatalog(resolve('catalog')), timings);
    const e = env(format);
    expect(e.seeds.length).toBe(pipeline.report.files);
    const drafts = e.seeds.flatMap((s) => {
      const { result, error } = loadFile(e, s);
      expect(error).toBeNull();
      expect(result!.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(result!.failed ?? 0).toBe(0);
      return result!.rules;
    });
    expect(drafts).toEqual(pipeline.drafts);
    expect(pipeline.report.failed).toBe(0);
    expect(pipeline.report.published + pipeline.report.noQuery).toBe(drafts.length);
  });
});

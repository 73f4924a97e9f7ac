/**
 * Builds the site the browser suite drives: the demo samples (catalog/sources.yaml) plus, when
 * another suite has written them, the hostile fixture rules (tests/fixtures/hostile/sources.yaml),
 * in one build so hostile rules sit next to real ones on technique, event and search pages.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import yaml from 'js-yaml';
import { buildSite, type SiteBuildResult } from '../../scripts/site-build.js';

export const PROJECT = process.cwd();
export const SAMPLES_SOURCES = join(PROJECT, 'catalog/sources.yaml');
/** Hostile fixture rules (XSS payloads that set `window.__pwned`); `HOSTILE_SOURCES` points at another set. */
export const HOSTILE_SOURCES = resolve(process.env.HOSTILE_SOURCES ?? join(PROJECT, 'tests/fixtures/hostile/sources.yaml'));

interface SourceEntry {
  id: string;
  dir: string;
  [k: string]: unknown;
}
interface SourcesYaml {
  attack: unknown;
  sources: SourceEntry[];
  [k: string]: unknown;
}

export interface FixtureSite {
  dist: string;
  build: SiteBuildResult;
  /** Source ids (in the combined build) that come from the hostile fixtures; empty without them. */
  hostileSources: string[];
  buildSeconds: number;
}

/**
 * A hostile source's `dir` may be written relative to its own folder (`--root tests/fixtures/hostile`)
 * or to the project (`--root .`): the first that exists, made relative to the project (the combined
 * build's root, so diagnostics and file links show project paths).
 */
function hostileDir(dir: string): string {
  const fromFile = resolve(dirname(HOSTILE_SOURCES), dir);
  return relative(PROJECT, existsSync(fromFile) ? fromFile : resolve(PROJECT, dir)) || '.';
}

/** One sources file: the samples as they are, the hostile sources with project-relative dirs and ids that do not clash. */
export function combinedSources(into: string): { file: string; hostileSources: string[] } {
  const samples = yaml.load(readFileSync(SAMPLES_SOURCES, 'utf8')) as SourcesYaml;
  const sources: SourceEntry[] = samples.sources.map((s) => ({ ...s }));
  const hostileSources: string[] = [];
  if (existsSync(HOSTILE_SOURCES)) {
    const hostile = yaml.load(readFileSync(HOSTILE_SOURCES, 'utf8')) as SourcesYaml;
    const taken = new Set(sources.map((s) => s.id));
    for (const s of hostile.sources ?? []) {
      let id = taken.has(s.id) ? `hostile-${s.id}` : s.id;
      while (taken.has(id)) id = `${id}-x`;
      taken.add(id);
      hostileSources.push(id);
      sources.push({ ...s, id, dir: hostileDir(s.dir) });
    }
  }
  const file = join(into, 'sources.yaml');
  mkdirSync(into, { recursive: true });
  writeFileSync(file, yaml.dump({ ...samples, sources }));
  return { file, hostileSources };
}

/** Build the combined site into `<tmp>/dist` (index cache and change state in `<tmp>` too). */
export async function buildFixtureSite(tmp: string): Promise<FixtureSite> {
  const { file, hostileSources } = combinedSources(tmp);
  const t0 = performance.now();
  const dist = join(tmp, 'dist');
  const build = await buildSite({ sourcesFile: file, root: PROJECT, outDir: dist, cacheDir: join(tmp, 'cache') });
  return { dist, build, hostileSources, buildSeconds: (performance.now() - t0) / 1000 };
}

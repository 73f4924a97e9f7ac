/**
 * Hostile content, index level: rules whose every text field carries script/attribute/URL
 * payloads, path-like and colliding IDs and prototype-named fields (tests/fixtures/hostile) all
 * publish; slugs and API paths are safe and unique; nothing pollutes Object.prototype.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/lib/pipeline/run.js';
import { writeApi } from '../../src/lib/pipeline/write-api.js';
import { safeExternalUrl } from '../../src/lib/site/urls.js';
import { listFiles } from './build-site.js';

const SOURCES = 'tests/fixtures/hostile/sources.yaml';
const LONG_ID = `${'x'.repeat(60)}-`.repeat(4) + 'y'.repeat(56);
/** IDs every hostile source carries (Sigma and Splunk also `Same ID!`/`same-id`, which collide). */
const HOSTILE_IDS = ['../../x', '/etc/passwd', 'C:\\Windows\\x', LONG_ID, 'evil\u202egpj.exe', 'Same ID!', 'same-id', '\u0435\u0440\u0440'];
const FILES = { sigma: 9, elastic: 8, splunk: 8 };

const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const { index } = runIndex({ sourcesFile: SOURCES, root: resolve('.'), cacheDir: null });
const tmp = mkdtempSync(join(tmpdir(), 'hostile-api-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('hostile sources, index level', () => {
  it('publish every rule without an error', () => {
    for (const s of index.sources) {
      expect.soft({ id: s.id, files: s.files, published: s.published, failed: s.failed }).toEqual({ id: s.id, files: FILES[s.format], published: FILES[s.format], failed: 0 });
      expect.soft(s.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    }
    expect(index.rules).toHaveLength(FILES.sigma + FILES.elastic + FILES.splunk);
  });

  it('keep IDs verbatim and give them safe, unique slugs', () => {
    for (const source of ['sigma', 'elastic', 'splunk']) {
      const rules = index.rules.filter((r) => r.source === source);
      expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining(HOSTILE_IDS));
      const slugs = rules.map((r) => r.slug);
      for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?(?:-\d+)?$/);
      expect(new Set(slugs).size).toBe(slugs.length);
      const bySlug = Object.fromEntries(rules.map((r) => [r.id, r.slug]));
      expect([bySlug['Same ID!'], bySlug['same-id']].sort()).toEqual(['same-id', 'same-id-2']);
      expect(bySlug['../../x']).toBe('x');
      expect(bySlug['/etc/passwd']).toBe('etc-passwd');
      expect(bySlug['C:\\Windows\\x']).toBe('c-windows-x');
      expect(bySlug['evil\u202egpj.exe']).toBe('evil-gpj-exe');
      // All-Cyrillic (confusable) id: nothing survives the slug filter, so the file path names the page.
      expect(bySlug['\u0435\u0440\u0440']).toMatch(/^(rules|detections-endpoint)-hostile-confusable-id-(yml|toml)$/);
      expect(bySlug[LONG_ID]).toHaveLength(80);
    }
  });

  it('keep prototype-named fields as plain data and leave Object.prototype alone', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const preds = index.rules.flatMap((r) => r.predicates);
    const fields = new Set(preds.map((p) => p.field));
    for (const f of ['__proto__', 'constructor', 'toString']) expect(fields).toContain(f);
    for (const p of preds) {
      expect.soft(p.canonical === null || typeof p.canonical === 'string', `${p.field} canonical is ${typeof p.canonical}`).toBe(true);
      expect.soft(String(p.canonical)).not.toMatch(/native code|function/);
    }
  });

  it('keep hostile references as text: none of them is a safe link', () => {
    const refs = index.rules.flatMap((r) => r.references);
    expect(refs).toContain('javascript:window.__pwned=1');
    const linked = refs.filter((u) => safeExternalUrl(u) !== null).map((u) => safeExternalUrl(u)!);
    expect(linked.every((u) => /^https:\/\/example\.com\//.test(u) && !/[<>"]/.test(u))).toBe(true);
  });

  it('write the JSON API only to safe paths inside its folder', () => {
    const dir = join(tmp, 'api');
    const n = writeApi(index, dir);
    const files = listFiles(dir);
    expect(files).toHaveLength(n);
    for (const f of files) {
      expect(f).toMatch(/^[a-zA-Z0-9._/-]+$/);
      expect(resolve(dir, f).startsWith(dir + '/')).toBe(true);
      expect(() => JSON.parse(readFileSync(join(dir, f), 'utf8'))).not.toThrow();
    }
    expect(files.filter((f) => f.startsWith('rules/')).length).toBe(index.rules.length);
  });
});

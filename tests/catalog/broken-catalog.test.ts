import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogError, loadCatalog } from '../../src/lib/catalog/load.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A minimal valid catalog in a temp dir, with `files` (relative path -> text) written over it. */
function catalogWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
  dirs.push(dir);
  const base: Record<string, string> = {
    'events/demo.yaml': ['provider: Demo', 'slug: demo', 'providerName: Demo-Provider', 'channel: Demo/Operational', 'platform: windows', 'events:', '  - id: 1', '    title: Something happened', ''].join('\n'),
    'mappings/demo.yaml': ['id: demo', 'title: Demo table', 'fields:', '  Image: process.executable', ''].join('\n'),
    'logsources/sigma.yaml': ['mappings:', '  - logsource: {product: windows}', '    events: [demo-1]', '    tables: [demo]', ''].join('\n'),
  };
  for (const [rel, text] of Object.entries({ ...base, ...files })) {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

function catalogError(dir: string): CatalogError {
  try {
    loadCatalog(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(CatalogError);
    return e as CatalogError;
  }
  throw new Error('loadCatalog accepted a broken catalog');
}

describe('loadCatalog on broken files', () => {
  it('accepts the minimal fixture', () => {
    const c = loadCatalog(catalogWith({}));
    expect([...c.events.keys()]).toEqual(['demo-1']);
  });

  it('reports a YAML syntax error with file, line and column', () => {
    const bad = ['provider: Demo', 'slug: demo', 'events:', '  - id: 1', '    title: [unclosed', '    channel: x', ''].join('\n');
    const err = catalogError(catalogWith({ 'events/demo.yaml': bad }));
    const d = err.diagnostics[0]!;
    expect(d.code).toBe('catalog/yaml-syntax');
    expect(d.file).toBe('catalog/events/demo.yaml');
    expect(d.line).toBeGreaterThanOrEqual(5);
    expect(d.column).toBeGreaterThan(0);
    expect(err.message).toContain(`catalog/events/demo.yaml:${d.line}:${d.column}`);
  });

  it('reports a schema error at the line of the offending key', () => {
    const bad = ['provider: Demo', 'slug: Not A Slug', 'providerName: Demo-Provider', 'channel: Demo/Operational', 'platform: windows', 'events:', '  - id: 1', '    title: ok', ''].join('\n');
    const err = catalogError(catalogWith({ 'events/demo.yaml': bad }));
    const d = err.diagnostics.find((x) => x.code === 'catalog/schema')!;
    expect(d.file).toBe('catalog/events/demo.yaml');
    expect(d.message).toContain('slug');
    expect(d.line).toBe(2);
    expect(d.column).toBe(1);
  });

  it('reports a bad mapping table field and an unknown event key', () => {
    const table = ['id: demo', 'title: Demo table', 'fallback: nonsense', 'fields:', '  Image: process.executable', ''].join('\n');
    const ls = ['mappings:', '  - logsource: {product: windows}', '    events: [demo-2]', '    tables: [demo]', ''].join('\n');
    const err = catalogError(catalogWith({ 'mappings/demo.yaml': table, 'logsources/sigma.yaml': ls }));
    const schema = err.diagnostics.find((x) => x.code === 'catalog/schema')!;
    expect(schema.file).toBe('catalog/mappings/demo.yaml');
    expect(schema.line).toBe(3);
    const unknown = err.diagnostics.find((x) => x.code === 'catalog/unknown-event')!;
    expect(unknown.file).toBe('catalog/logsources/sigma.yaml');
    expect(unknown.message).toContain('demo-2');
  });
});

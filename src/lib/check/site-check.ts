import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { headingJumps, scanPage, type PageScan } from './html-scan.js';

export interface CheckProblem {
  kind: 'broken-link' | 'broken-anchor' | 'orphan' | 'missing-rule-page' | 'too-large' | 'structure' | 'search-index' | 'unsafe';
  page: string;
  detail: string;
}

export interface CheckResult {
  pages: number;
  links: number;
  largest: { page: string; bytes: number }[];
  searchable: number;
  indexed: number | null;
  problems: CheckProblem[];
}

/** Pages in the Pagefind index under `dist/pagefind/` (all languages), or null when it was not built. */
export function searchIndexPageCount(dist: string): number | null {
  const entryFile = join(dist, 'pagefind', 'pagefind-entry.json');
  if (!existsSync(entryFile)) return null;
  const e = JSON.parse(readFileSync(entryFile, 'utf8')) as { languages?: Record<string, { page_count?: number }> };
  return Object.values(e.languages ?? {}).reduce((n, l) => n + (l.page_count ?? 0), 0);
}

export interface CheckOptions {
  /** Site base path (`/` or `/repo/`). */
  base?: string;
  /** Pages over this size fail the check. */
  maxPageBytes?: number;
  /** Pages that need no inbound link (entry points). */
  entryPages?: string[];
}

/** Post-build checks over dist/: links, anchors, orphans, rule pages, size, structure, search index. */
export function checkSite(dist: string, opts: CheckOptions = {}): CheckResult {
  const base = opts.base ?? '/';
  const maxBytes = opts.maxPageBytes ?? 3 * 1024 * 1024;
  const entry = new Set(opts.entryPages ?? ['/', '/404.html', '/search/']);
  const files = listHtml(dist);
  const pages = new Map<string, { scan: PageScan; bytes: number }>();
  for (const f of files) {
    const html = readFileSync(f, 'utf8');
    pages.set(urlOf(dist, f), { scan: scanPage(html), bytes: Buffer.byteLength(html) });
  }
  const problems: CheckProblem[] = [];
  const inbound = new Map<string, number>();
  let links = 0;
  const idSets = new Map<string, Set<string>>();
  const ids = (url: string) => {
    let s = idSets.get(url);
    if (!s) idSets.set(url, (s = new Set(pages.get(url)?.scan.ids ?? [])));
    return s;
  };
  for (const [url, { scan, bytes }] of pages) {
    if (bytes > maxBytes) problems.push({ kind: 'too-large', page: url, detail: `${bytes} bytes > ${maxBytes}` });
    if (scan.jsUrls > 0) problems.push({ kind: 'unsafe', page: url, detail: `${scan.jsUrls} javascript: URL(s)` });
    if (url !== '/404.html') {
      if (scan.h1 !== 1) problems.push({ kind: 'structure', page: url, detail: `${scan.h1} <h1> elements (want 1)` });
    }
    if (!scan.hasTitle) problems.push({ kind: 'structure', page: url, detail: 'no <title>' });
    if (!scan.hasLang) problems.push({ kind: 'structure', page: url, detail: 'no <html lang>' });
    if (!scan.hasMain) problems.push({ kind: 'structure', page: url, detail: 'no <main> landmark' });
    const dupIds = scan.ids.filter((id, i) => scan.ids.indexOf(id) !== i);
    if (dupIds.length > 0) problems.push({ kind: 'structure', page: url, detail: `duplicate ids: ${[...new Set(dupIds)].slice(0, 5).join(', ')}` });
    if (headingJumps(scan.headings) > 0) problems.push({ kind: 'structure', page: url, detail: 'heading levels skip (e.g. h2 -> h4)' });
    for (const href of scan.hrefs) {
      const target = internalTarget(href, url, base);
      if (target === null) continue;
      links++;
      const [path, anchor] = target;
      const resolved = resolvePage(path, pages);
      if (!resolved) {
        if (!existsSync(join(dist, path.replace(/^\//, '')))) problems.push({ kind: 'broken-link', page: url, detail: href });
        continue;
      }
      if (resolved !== url) inbound.set(resolved, (inbound.get(resolved) ?? 0) + 1);
      if (anchor && !ids(resolved).has(anchor)) problems.push({ kind: 'broken-anchor', page: url, detail: href });
    }
  }
  for (const url of pages.keys()) {
    if (!entry.has(url) && !inbound.has(url)) problems.push({ kind: 'orphan', page: url, detail: 'no page links here' });
  }
  // Every rule in the index has a page.
  const apiIndex = join(dist, 'api', 'index.json');
  if (existsSync(apiIndex)) {
    const idx = JSON.parse(readFileSync(apiIndex, 'utf8')) as { rules: { source: string; slug: string }[] };
    for (const r of idx.rules) {
      const u = `/rules/${r.source}/${r.slug}/`;
      if (!pages.has(u)) problems.push({ kind: 'missing-rule-page', page: u, detail: 'rule in api/index.json without a page' });
    }
  }
  // Search index covers every searchable page.
  const searchable = [...pages.values()].filter((p) => p.scan.searchable).length;
  const indexed = searchIndexPageCount(dist);
  if (indexed !== null) {
    if (indexed !== searchable) problems.push({ kind: 'search-index', page: '/pagefind/', detail: `${indexed} pages indexed, ${searchable} marked searchable` });
  } else {
    problems.push({ kind: 'search-index', page: '/pagefind/', detail: 'no pagefind-entry.json: the search index was not built' });
  }
  const largest = [...pages.entries()]
    .map(([page, p]) => ({ page, bytes: p.bytes }))
    .sort((a, b) => b.bytes - a.bytes || (a.page < b.page ? -1 : 1))
    .slice(0, 5);
  return { pages: pages.size, links, largest, searchable, indexed, problems };
}

function listHtml(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'pagefind' && name !== 'api') walk(p);
      } else if (name.endsWith('.html')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function urlOf(dist: string, file: string): string {
  const rel = '/' + relative(dist, file).split(sep).join('/');
  return rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel;
}

/** [path, anchor] of an internal link relative to the site root, or null for external links. */
function internalTarget(href: string, from: string, base: string): [string, string] | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) return null;
  const [pathPart, anchor = ''] = href.split('#', 2) as [string, string?];
  let path = pathPart!.split('?')[0]!;
  if (path === '') path = from;
  else if (!path.startsWith('/')) path = new URL(path, 'http://x' + from).pathname;
  if (base !== '/' && path.startsWith(base)) path = '/' + path.slice(base.length);
  return [decodeURIComponent(path), decodeURIComponent(anchor)];
}

function resolvePage(path: string, pages: Map<string, unknown>): string | null {
  if (pages.has(path)) return path;
  if (!path.endsWith('/') && pages.has(path + '/')) return path + '/';
  return null;
}

/**
 * Hostile content, site level: the whole build (index -> Astro pages -> JSON API -> feeds ->
 * Pagefind) of tests/fixtures/hostile into a temporary folder, then every written file is checked:
 * its path is inside the output and plain ASCII, no page or feed holds anything a browser would
 * execute (handlers, javascript:/data: URLs, the payload inside <script>), and the post-build
 * checks (`npm run check-site`) find nothing. Runs the build in a child process (~20-60 s).
 */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite } from '../../src/lib/check/site-check.js';
import { cleanupBuildFiles, listFiles, runBuildSite, type SiteBuildSummary } from './build-site.js';
import { decodeXml, isDangerousUrl, scanHtmlSafety } from './html-safety.js';

const tmp = mkdtempSync(join(tmpdir(), 'hostile-site-'));
const out = join(tmp, 'dist');
let summary: SiteBuildSummary;
let files: string[] = [];

beforeAll(async () => {
  // An empty previous build: every hostile rule is "added", so the change page and feeds list them all.
  const previous = join(tmp, 'previous-api');
  mkdirSync(previous, { recursive: true });
  writeFileSync(join(previous, 'report.json'), JSON.stringify({ buildDate: '2024-01-01', attackVersion: '18.1', sources: ['sigma', 'elastic', 'splunk'].map((id) => ({ id, commit: null })) }));
  writeFileSync(join(previous, 'index.json'), JSON.stringify({ rules: [], techniques: [], events: [] }));
  summary = await runBuildSite(
    { sourcesFile: 'tests/fixtures/hostile/sources.yaml', root: resolve('.'), outDir: out, cacheDir: join(tmp, 'cache'), previous },
    { SOURCE_DATE_EPOCH: '1717200000' },
  );
  files = listFiles(out);
}, 600_000);

afterAll(() => {
  cleanupBuildFiles(out);
  rmSync(tmp, { recursive: true, force: true });
});

describe('site built from hostile rules', () => {
  it('renders a page for every rule', () => {
    expect(summary.rules).toBe(25);
    expect(summary.pages).toBeGreaterThan(100);
    for (const source of ['sigma', 'elastic', 'splunk']) {
      for (const slug of ['x', 'etc-passwd', 'c-windows-x', 'evil-gpj-exe', 'same-id', 'same-id-2']) expect(files).toContain(`rules/${source}/${slug}/index.html`);
    }
  });

  it('writes only plain paths inside the output folder', () => {
    expect(files.length).toBeGreaterThan(summary.pages);
    const bad = files.filter((f) => !/^[a-zA-Z0-9._/-]+$/.test(f) || f.split('/').some((s) => s === '..' || s === '') || !resolve(out, f).startsWith(out + '/'));
    expect(bad).toEqual([]);
    expect(files.filter((f) => lstatSync(join(out, f)).isSymbolicLink())).toEqual([]);
  });

  it('has no page with anything a browser would execute', () => {
    const findings: string[] = [];
    let pages = 0;
    for (const f of files.filter((x) => x.endsWith('.html'))) {
      pages++;
      const html = readFileSync(join(out, f), 'utf8');
      // Tokenized, not grepped: `<script>` inside a quoted attribute value is inert text.
      for (const x of scanHtmlSafety(html)) findings.push(`${f}: ${x.kind} ${x.detail}`);
    }
    expect(pages).toBe(summary.pages);
    expect(findings).toEqual([]);
    // The payloads are on the pages, as text.
    expect(readFileSync(join(out, 'rules/sigma/x/index.html'), 'utf8')).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('has feeds whose HTML content is safe once unescaped', () => {
    const findings: string[] = [];
    const atom = readFileSync(join(out, 'changes.atom'), 'utf8');
    expect(atom).toContain('window.__pwned');
    for (const x of scanHtmlSafety(atom)) findings.push(`changes.atom: ${x.kind} ${x.detail}`);
    for (const m of atom.matchAll(/<(content|summary|title)\b[^>]*type="html"[^>]*>([\s\S]*?)<\/\1>/g)) {
      for (const x of scanHtmlSafety(decodeXml(m[2]!))) findings.push(`changes.atom <${m[1]}>: ${x.kind} ${x.detail}`);
    }
    const json = JSON.parse(readFileSync(join(out, 'changes.json'), 'utf8')) as { items: { url?: string; content_html?: string }[] };
    expect(json.items.length).toBeGreaterThanOrEqual(25);
    for (const item of json.items) {
      if (item.url && isDangerousUrl(item.url)) findings.push(`changes.json url ${item.url}`);
      for (const x of scanHtmlSafety(item.content_html ?? '')) findings.push(`changes.json content_html: ${x.kind} ${x.detail}`);
    }
    expect(findings).toEqual([]);
  });

  it('passes the post-build checks', () => {
    const r = checkSite(out);
    expect(r.problems).toEqual([]);
    expect(r.pages).toBe(summary.pages);
  });
});

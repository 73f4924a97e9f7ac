/**
 * End-to-end check of the offline export: a tiny site indexed with Pagefind, packed by
 * createSiteArchive, unpacked elsewhere, served by the shipped serve.mjs, and searched in headless
 * Chromium with the network cut off except 127.0.0.1. Own file so CI can run it as its own step:
 *   npx vitest run tests/export/offline-search.browser.test.ts
 * Skips when Chromium is absent (set CHROMIUM_PATH to use another Chromium/Chrome binary).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAndUnpack, page, startServer, writeSite, type RunningServer } from './site-fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`offline-search: skipped, no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH)`);

function check<T extends { errors: string[] }>(step: string, r: T): T {
  if (r.errors.length > 0) throw new Error(`pagefind ${step}: ${r.errors.join('; ')}`);
  return r;
}

const SEARCH_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Search</title>
<link href="/pagefind/pagefind-ui.css" rel="stylesheet"><script src="/pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div><script>window.addEventListener('DOMContentLoaded', () => { new PagefindUI({ element: '#search', showImages: false }); });</script></body></html>\n`;

describe.skipIf(!hasChromium)('offline export in a browser', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'export-browser-'));
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const dist = join(tmp, 'dist');
    writeSite(dist, {
      'index.html': page('Catalog', 'Detection rules by technique'),
      'search/index.html': SEARCH_PAGE,
      'techniques/T1055/index.html': page('Process Injection', 'Rules that watch remote thread creation.'),
      'techniques/T1055/012/index.html': page('Process Hollowing', 'Rules that look for hollowing of suspended processes.'),
      'techniques/T1003/index.html': page('OS Credential Dumping', 'Rules on lsass memory access.'),
    });
    const { index } = check('createIndex', await pagefind.createIndex({}));
    if (!index) throw new Error('pagefind createIndex returned no index');
    try {
      const added = check('addDirectory', await index.addDirectory({ path: dist }));
      expect(added.page_count).toBeGreaterThanOrEqual(4);
      check('writeFiles', await index.writeFiles({ outputPath: join(dist, 'pagefind') }));
    } finally {
      await pagefind.close();
    }
    const unpacked = join(tmp, 'unpacked');
    await exportAndUnpack(dist, join(tmp, 'site.tar.gz'), unpacked);
    server = await startServer(unpacked);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function offlinePage() {
    const context = await browser!.newContext();
    // Everything must come from the local server: any other request fails the page.
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    return context.newPage();
  }

  it('searches through the Pagefind JS API', async () => {
    const tab = await offlinePage();
    try {
      const res = await tab.goto(server!.url);
      expect(res?.status()).toBe(200);
      const found = (await tab.evaluate(`(async () => {
        const pf = await import('/pagefind/pagefind.js');
        const search = await pf.search('hollowing');
        return Promise.all(search.results.map(async (r) => { const d = await r.data(); return { url: d.url, title: d.meta.title }; }));
      })()`)) as Array<{ url: string; title: string }>;
      expect(found).toEqual([{ url: '/techniques/T1055/012/', title: 'Process Hollowing' }]);
    } finally {
      await tab.context().close();
    }
  }, 60_000);

  it('searches through the default UI and follows a result', async () => {
    const tab = await offlinePage();
    try {
      await tab.goto(`${server!.url}search/`);
      await tab.locator('.pagefind-ui__search-input').fill('lsass');
      const link = tab.locator('.pagefind-ui__result-link').first();
      await link.waitFor({ timeout: 20_000 });
      expect(await link.textContent()).toBe('OS Credential Dumping');
      await link.click();
      await tab.waitForURL('**/techniques/T1003/');
      expect(await tab.locator('h1').textContent()).toBe('OS Credential Dumping');
    } finally {
      await tab.context().close();
    }
  }, 60_000);
});

/**
 * The real thing: the demo site that `npm run build` left in dist/ (CI builds it right before the
 * browser step), exported, unpacked and served by its own script, answers a search offline.
 */
const DEMO_DIST = join(process.cwd(), 'dist');
const hasDemo = existsSync(join(DEMO_DIST, 'pagefind', 'pagefind.js')) && existsSync(join(DEMO_DIST, 'techniques'));
if (hasChromium && !hasDemo) console.warn('offline-search: demo export skipped, run `npm run build` first');

describe.skipIf(!hasChromium || !hasDemo)('offline export of the demo build', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'export-demo-'));
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const unpacked = join(tmp, 'unpacked');
    await exportAndUnpack(DEMO_DIST, join(tmp, 'site.tar.gz'), unpacked);
    server = await startServer(unpacked);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the T1102 rules by an indicator value, with no network but the local server', async () => {
    const context = await browser!.newContext();
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    const tab = await context.newPage();
    try {
      const res = await tab.goto(`${server!.url}search/?q=ngrok`);
      expect(res?.status()).toBe(200);
      const link = tab.locator('.pagefind-ui__result-link').first();
      await link.waitFor({ timeout: 30_000 });
      const href = await link.getAttribute('href');
      expect(href).toMatch(/^\/(rules|techniques|events)\//);
      await link.click();
      await tab.waitForLoadState('load');
      expect((await tab.locator('main').textContent())!.toLowerCase()).toContain('ngrok');
    } finally {
      await context.close();
    }
  }, 90_000);
});

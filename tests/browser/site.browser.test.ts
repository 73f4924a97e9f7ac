/**
 * The built site in a real browser (Debian Chromium driven by playwright-core): pages open without
 * errors, the header search box leads to Pagefind results and filters, hostile rule text stays
 * text, and the accessibility basics hold (landmarks, headings, labels, contrast, keyboard).
 *   npx vitest run --config vitest.browser.config.ts tests/browser
 * One site build (samples + tests/fixtures/hostile when present) serves every test in this file.
 * Skips when Chromium is absent (set CHROMIUM_PATH to use another Chromium/Chrome binary).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleRecord } from '../../src/lib/aggregate/types.js';
import { eventHref, fieldHref, ruleHref, sourceHref, techniqueHref } from '../../src/lib/site/urls.js';
import { contrastProblems, contrastRatio, effectiveBackground, parseCssColor, structureProblems, textSamples } from './a11y.js';
import { CHROMIUM, HAS_CHROMIUM, launchChromium, openTab, type WatchedTab } from './browser.js';
import { HOSTILE_SOURCES, buildFixtureSite, type FixtureSite } from './site-fixture.js';
import { serveDir, type StaticServer } from './static-server.js';

if (!HAS_CHROMIUM) console.warn(`site.browser: skipped, no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH)`);
const HAS_HOSTILE = existsSync(HOSTILE_SOURCES);
if (HAS_CHROMIUM && !HAS_HOSTILE) console.warn(`site.browser: hostile checks skipped, no ${HOSTILE_SOURCES}`);

describe.skipIf(!HAS_CHROMIUM)('the built site in Chromium', () => {
  let tmp = '';
  let site: FixtureSite;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  const t0 = performance.now();

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'site-browser-'));
    site = await buildFixtureSite(tmp);
    server = await serveDir(site.dist);
    browser = await launchChromium();
    console.log(`site.browser: built ${site.build.pages} pages (${site.build.index.rules.length} rules, hostile sources: ${site.hostileSources.join(', ') || 'none'}) in ${site.buildSeconds.toFixed(1)} s`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    console.log(`site.browser: whole file in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });

  const url = (path: string): string => new URL(path.replace(/^\//, ''), server!.url).href;

  /** Open `path`, wait for the load event, and hand the tab to `fn`; the tab always closes. */
  async function visit<T>(path: string, fn: (tab: WatchedTab, status: number | undefined) => Promise<T>): Promise<T> {
    const tab = await openTab(browser!);
    try {
      const res = await tab.page.goto(url(path), { waitUntil: 'load' });
      return await fn(tab, res?.status());
    } finally {
      await tab.close();
    }
  }

  const sampleRule = (): RuleRecord => {
    const rules = site.build.index.rules.filter((r) => !site.hostileSources.includes(r.source));
    return rules.find((r) => r.techniques.includes('T1102')) ?? rules[0]!;
  };

  describe('pages open cleanly', () => {
    const cases: Array<[string, () => string, () => (h1: string) => void]> = [
      ['home', () => '/', () => (h1) => expect(h1).toBe('ATT&CK coverage of public detection rules')],
      ['technique T1102', () => techniqueHref('T1102'), () => (h1) => expect(h1).toMatch(/^Web Service\s+T1102$/)],
      ['sub-technique T1059.001', () => techniqueHref('T1059.001'), () => (h1) => expect(h1).toMatch(/^Command and Scripting Interpreter: PowerShell\s+T1059\.001$/)],
      ['event sysmon-1', () => eventHref('sysmon-1'), () => (h1) => expect(h1).toMatch(/^Sysmon 1: Process creation$/i)],
      ['a rule', () => ruleHref(sampleRule().source, sampleRule().slug), () => (h1) => expect(h1).toBe(sampleRule().title.replace(/\s+/g, ' ').trim())],
      ['the build report', () => '/report/', () => (h1) => expect(h1).toBe('Build report')],
    ];
    for (const [name, path, checkH1] of cases) {
      it(`${name}: HTTP 200, its <h1>, no console or page errors`, async () => {
        await visit(path(), async (tab, status) => {
          expect(status).toBe(200);
          const h1 = (await tab.page.locator('h1').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
          expect(h1).toHaveLength(1);
          checkH1()(h1[0]!);
          expect(tab.problems()).toEqual([]);
        });
      });
    }
  });

  describe('search', () => {
    it('header box -> /search/?q= -> Pagefind results -> a page containing the query', async () => {
      await visit('/', async (tab) => {
        const { page } = tab;
        await page.getByRole('searchbox', { name: /search/i }).first().fill('ngrok');
        await page.getByRole('button', { name: 'Search', exact: true }).click();
        await page.waitForURL(/\/search\/\?q=ngrok$/);
        const first = page.locator('.pagefind-ui__result-link').first();
        await first.waitFor({ timeout: 20_000 });
        expect(await page.locator('.pagefind-ui__search-input').inputValue()).toBe('ngrok');
        const href = await first.getAttribute('href');
        await first.click();
        await page.waitForURL((u) => u.pathname === new URL(href!, page.url()).pathname);
        expect(await page.locator('main').innerText()).toMatch(/ngrok/i);
        expect(tab.problems()).toEqual([]);
      });
    });

    it('the vendor filter narrows the results', async () => {
      await visit('/search/?q=ngrok', async (tab) => {
        const { page } = tab;
        const message = page.locator('.pagefind-ui__message');
        await page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 20_000 });
        const countOf = async (): Promise<number> => Number(/(\d+) results?/.exec((await message.textContent()) ?? '')?.[1] ?? NaN);
        const before = await countOf();
        expect(before).toBeGreaterThan(1);
        // Pagefind UI renders the filter groups one after another: wait for the last one we read.
        await page.locator('input.pagefind-ui__filter-checkbox[name="vendor"]').first().waitFor({ state: 'attached', timeout: 20_000 });
        // Each filter value appears once, spelled one way on every page ("Elastic", not also "elastic").
        const values = await page.locator('input.pagefind-ui__filter-checkbox').evaluateAll((els) => els.map((e) => `${(e as HTMLInputElement).name}:${(e as HTMLInputElement).value}`));
        expect(values).toContain('vendor:Elastic');
        const fold = (v: string): string => v.toLowerCase().replace(/[^a-z0-9:]+/g, '');
        const byFold = new Map<string, string[]>();
        for (const v of values) byFold.set(fold(v), [...(byFold.get(fold(v)) ?? []), v]);
        expect([...byFold.values()].filter((vs) => vs.length > 1)).toEqual([]);
        await page.locator('summary.pagefind-ui__filter-name', { hasText: 'Vendor' }).click();
        await page.locator('label[for="vendor-Elastic"]').click();
        await expect.poll(countOf, { timeout: 10_000 }).toBeLessThan(before);
        const after = await countOf();
        expect(after).toBeGreaterThan(0);
        const links = await page.locator('.pagefind-ui__result-title > .pagefind-ui__result-link').evaluateAll((els) => els.map((e) => new URL((e as HTMLAnchorElement).href).pathname));
        expect(links.length).toBeGreaterThan(0);
        for (const l of links.filter((p) => p.startsWith('/rules/'))) expect(l).toMatch(/^\/rules\/elastic\//);
        expect(tab.problems()).toEqual([]);
      });
    });
  });

  describe.skipIf(!HAS_HOSTILE)('hostile fixture rules', () => {
    const hostileRules = (): RuleRecord[] => site.build.index.rules.filter((r) => site.hostileSources.includes(r.source));

    /** Every page that shows something from a hostile rule: its own page, listings, and what it links to. */
    const hostilePages = (): string[] => {
      const pages = new Set<string>(['/', '/rules/', '/report/', '/fields/', '/events/', '/techniques/']);
      const known = new Set(site.build.index.techniques.map((t) => t.id));
      const events = new Set(site.build.index.events.map((e) => e.key));
      for (const r of hostileRules()) {
        pages.add(ruleHref(r.source, r.slug));
        pages.add(sourceHref(r.source));
        for (const t of r.techniques) if (known.has(t)) pages.add(techniqueHref(t));
        for (const e of r.events) if (events.has(e)) pages.add(eventHref(e));
        for (const p of r.predicates) if (p.canonical && !p.derived) pages.add(fieldHref(p.canonical));
      }
      return [...pages];
    };

    it('builds pages for the hostile rules', () => {
      expect(hostileRules().length).toBeGreaterThan(0);
    });

    it('no script runs, no javascript: link, and the page outline holds, on any page built from them', async () => {
      const pages = hostilePages();
      const problems: string[] = [];
      const tab = await openTab(browser!);
      try {
        await tab.context.addInitScript(() => {
          const w = window as unknown as Record<string, unknown>;
          const pwn = (): void => void (w.__pwned = w.__pwned ?? 'dialog');
          w.alert = pwn;
          w.confirm = pwn;
          w.prompt = pwn;
        });
        for (const path of pages) {
          const res = await tab.page.goto(url(path), { waitUntil: 'load' });
          if (res?.status() !== 200) problems.push(`${path}: HTTP ${res?.status()}`);
          await tab.page.waitForTimeout(50); // let onerror/onload handlers of broken media fire
          const found = await tab.page.evaluate(() => {
            const out: string[] = [];
            const w = window as unknown as Record<string, unknown>;
            if (w.__pwned !== undefined) out.push(`window.__pwned = ${String(w.__pwned)}`);
            for (const el of document.querySelectorAll('*')) {
              for (const a of el.attributes) {
                if (/^on/i.test(a.name)) out.push(`event handler attribute ${a.name} on <${el.tagName.toLowerCase()}>`);
                if (/^(href|src|action|formaction|xlink:href|data|poster|srcdoc)$/i.test(a.name) && /^\s*(javascript|vbscript|data):/i.test(a.value)) out.push(`${a.name}="${a.value.slice(0, 60)}" on <${el.tagName.toLowerCase()}>`);
              }
            }
            if (document.scripts.length > 0) out.push(`${document.scripts.length} <script> element(s)`);
            for (const tag of ['iframe', 'object', 'embed', 'base', 'meta[http-equiv="refresh"]', 'form:not(.search-box)', 'svg script', 'style:not(head style)']) {
              const n = document.querySelectorAll(tag).length;
              if (n > 0) out.push(`${n} unexpected ${tag}`);
            }
            return out;
          });
          problems.push(...found.map((f) => `${path}: ${f}`));
          // Rule text brings its own Markdown headings: they must not add an <h1> or skip levels.
          problems.push(...(await structureProblems(tab.page)).map((p) => `${path}: ${p}`));
        }
        problems.push(...tab.problems());
      } finally {
        await tab.close();
      }
      console.log(`site.browser: ${pages.length} pages built from hostile rules checked`);
      expect(problems).toEqual([]);
    });

    it('hostile titles are shown as literal text in the <h1>', async () => {
      for (const r of hostileRules()) {
        await visit(ruleHref(r.source, r.slug), async (tab) => {
          const h1 = tab.page.locator('h1');
          const [text, childTags, title] = await h1.evaluate((el) => [el.textContent ?? '', [...el.querySelectorAll('*')].map((c) => c.tagName.toLowerCase()), document.title]);
          expect(text.replace(/\s+/g, ' ').trim()).toBe(r.title.replace(/\s+/g, ' ').trim());
          expect(childTags).toEqual([]);
          expect(title.startsWith(r.title.replace(/\s+/g, ' ').trim().slice(0, 20))).toBe(true);
          // Markup written in the description is shown, not parsed: `<script`, `<img`… appear as text.
          const tags = [...new Set(r.description.match(/<(script|img|svg|iframe|object|embed|style|a)\b/gi) ?? [])];
          if (tags.length > 0) {
            const shown = await tab.page.locator('main').innerText();
            for (const t of tags) expect(shown, `description tag ${t} shown as text`).toContain(t);
          }
        });
      }
    });

    it('searching for a hostile title runs nothing either', async () => {
      const r = hostileRules().find((x) => /[a-z]{4,}/i.test(x.title));
      if (!r) return;
      const word = /[a-z]{4,}/i.exec(r.title)![0];
      await visit(`/search/?q=${encodeURIComponent(word)}`, async (tab) => {
        await tab.page.locator('.pagefind-ui__message').waitFor({ timeout: 20_000 });
        await tab.page.waitForTimeout(300);
        const pwned = await tab.page.evaluate(() => (window as unknown as Record<string, unknown>).__pwned);
        expect(pwned).toBeUndefined();
        const bad = await tab.page.locator('#search a[href^="javascript:" i], #search [src^="javascript:" i]').count();
        expect(bad).toBe(0);
        expect(tab.problems()).toEqual([]);
      });
    });
  });

  describe('accessibility basics', () => {
    const pages = (): string[] => {
      const r = sampleRule();
      const field = site.build.index.fields[0];
      const list = ['/', '/techniques/', techniqueHref('T1102'), techniqueHref('T1059.001'), '/events/', eventHref('sysmon-1'), '/rules/', sourceHref(r.source), ruleHref(r.source, r.slug), '/fields/', '/report/', '/search/?q=ngrok', '/no-such-page/'];
      if (field) list.push(fieldHref(field.canonical));
      if (existsSync(join(site.dist, 'changes/index.html'))) list.push('/changes/');
      return list;
    };

    /** One visit per page for both sweeps below (the big index pages take a second each to load). */
    let sweep: Promise<{ structure: string[]; contrast: string[]; texts: number }> | undefined;
    const sweepPages = (): Promise<{ structure: string[]; contrast: string[]; texts: number }> =>
      (sweep ??= (async () => {
        const structure: string[] = [];
        const contrast: string[] = [];
        let texts = 0;
        const tab = await openTab(browser!);
        try {
          for (const path of pages()) {
            await tab.page.goto(url(path), { waitUntil: 'load' });
            if (path.startsWith('/search/')) await tab.page.locator('.pagefind-ui__result-link').first().waitFor({ timeout: 20_000 });
            structure.push(...(await structureProblems(tab.page)).map((p) => `${path}: ${p}`));
            const search = tab.page.getByRole('banner').getByRole('searchbox', { name: /search/i });
            if ((await search.count()) !== 1) structure.push(`${path}: the header search input has no accessible name`);
            for (const role of ['banner', 'main', 'contentinfo'] as const) {
              const n = await tab.page.getByRole(role).count();
              if (n !== 1) structure.push(`${path}: ${n} ${role} landmarks`);
            }
            if ((await tab.page.getByRole('navigation').count()) < 1) structure.push(`${path}: no navigation landmark`);
            const samples = await textSamples(tab.page);
            texts += samples.length;
            contrast.push(...contrastProblems(samples).map((p) => `${path}: ${p}`));
          }
        } finally {
          await tab.close();
        }
        return { structure, contrast: [...new Set(contrast)], texts };
      })());

    it('landmarks, one <h1>, heading order, alt texts, link and control names, unique ids', async () => {
      expect((await sweepPages()).structure).toEqual([]);
    });

    it('text colours reach WCAG AA contrast (4.5:1, 3:1 for large text)', async () => {
      const { contrast, texts } = await sweepPages();
      console.log(`site.browser: contrast of ${texts} text elements on ${pages().length} pages checked`);
      expect(contrast).toEqual([]);
    });

    it('the theme colours themselves: text, muted, links, button, badges, code', async () => {
      await visit(techniqueHref('T1102'), async (tab) => {
        const pairs = await tab.page.evaluate(() => {
          const out: Array<{ what: string; fg: string; bg: string[] }> = [];
          const probe = (what: string, html: string, sel: string): void => {
            const host = document.querySelector('main')!;
            const wrap = document.createElement('div');
            wrap.innerHTML = html;
            host.appendChild(wrap);
            const el = wrap.querySelector(sel)!;
            const bg: string[] = [];
            for (let e: Element | null = el; e; e = e.parentElement) bg.push(getComputedStyle(e).backgroundColor);
            out.push({ what, fg: getComputedStyle(el).color, bg });
            wrap.remove();
          };
          probe('body text', '<p>x</p>', 'p');
          probe('muted text', '<p class="note">x</p>', 'p');
          probe('link', '<a href="#">x</a>', 'a');
          probe('badge', '<span class="badge">x</span>', 'span');
          probe('warning badge', '<span class="badge warn">x</span>', 'span');
          for (const op of ['eq', 'wildcard', 'regex_match', 'match']) probe(`operator ${op}`, `<span class="op op-${op}">x</span>`, 'span');
          for (const v of ['sigma', 'elastic', 'splunk']) probe(`vendor ${v}`, `<span class="vendor-${v}">x</span>`, 'span');
          probe('code value', '<code class="value">x</code>', 'code');
          probe('exclusion row', '<table><tr class="excl"><td>x</td></tr></table>', 'td');
          probe('link in panel', '<div class="tree"><a href="#">x</a></div>', 'a');
          probe('code block', '<figure class="code"><pre><code>x</code></pre></figure>', 'code');
          probe('line number', '<figure class="code"><pre><code><span class="ln">1</span></code></pre></figure>', '.ln');
          probe('field in code', '<figure class="code"><pre><code><mark class="fld">x</mark><a class="fld" href="#">y</a></code></pre></figure>', 'a.fld');
          const header = (sel: string, what: string): void => {
            const el = document.querySelector(sel)!;
            const bg: string[] = [];
            for (let e: Element | null = el; e; e = e.parentElement) bg.push(getComputedStyle(e).backgroundColor);
            out.push({ what, fg: getComputedStyle(el).color, bg });
          };
          header('.search-box button', 'search button');
          header('.site-header nav a', 'header link');
          header('.site-footer p', 'footer text');
          return out;
        });
        const low: string[] = [];
        for (const p of pairs) {
          const fg = parseCssColor(p.fg)!.rgb;
          const ratio = contrastRatio(fg, effectiveBackground(p.bg));
          if (ratio < 4.5) low.push(`${p.what}: ${ratio.toFixed(2)}:1`);
        }
        expect(pairs.length).toBeGreaterThan(20);
        expect(low).toEqual([]);
      });
    });

    it('keyboard: Tab reaches the skip link first, it jumps to #main, then Tab reaches the search box with a visible focus ring', async () => {
      await visit(techniqueHref('T1102'), async (tab) => {
        const { page } = tab;
        await page.keyboard.press('Tab');
        const skip = await page.evaluate(() => {
          const a = document.activeElement as HTMLElement;
          const r = a.getBoundingClientRect();
          return { text: a.textContent?.trim(), href: a.getAttribute('href'), onScreen: r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.width > 0 };
        });
        expect(skip).toEqual({ text: 'Skip to content', href: '#main', onScreen: true });
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => location.hash === '#main');
        // Focus navigation now starts at <main>: the next Tab lands inside it, past the header.
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);

        await page.goto(url(techniqueHref('T1102')));
        const order: string[] = [];
        let reached = false;
        for (let i = 0; i < 20 && !reached; i++) {
          await page.keyboard.press('Tab');
          const f = await page.evaluate(() => {
            const a = document.activeElement as HTMLElement;
            return { id: a.id, desc: `${a.tagName.toLowerCase()}${a.id ? '#' + a.id : ''} ${a.textContent?.trim().slice(0, 20) ?? ''}` };
          });
          order.push(f.desc);
          reached = f.id === 'site-search';
        }
        expect(reached, `Tab order: ${order.join(' | ')}`).toBe(true);
        expect(order[0]).toMatch(/^a Skip to content/);
        const ring = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const s = getComputedStyle(el);
          const bg: string[] = [];
          for (let e: Element | null = el.parentElement; e; e = e.parentElement) bg.push(getComputedStyle(e).backgroundColor);
          return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, bg, focusVisible: el.matches(':focus-visible') };
        });
        expect(ring.focusVisible).toBe(true);
        expect(ring.style).not.toBe('none');
        expect(ring.width).toBeGreaterThanOrEqual(2);
        // WCAG 1.4.11: the focus indicator needs 3:1 against what surrounds it.
        const ratio = contrastRatio(parseCssColor(ring.color)!.rgb, effectiveBackground(ring.bg));
        expect(ratio, `focus ring ${ring.color}`).toBeGreaterThanOrEqual(3);
        expect(tab.problems()).toEqual([]);
      });
    });
  });
});

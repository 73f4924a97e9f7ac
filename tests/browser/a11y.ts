/**
 * Accessibility probes run inside the page (no axe-core: not a dependency). Each returns a list of
 * human-readable problems, empty when the page passes, so a failing test says what and where.
 */
import type { Page } from 'playwright-core';

/** WCAG 2.x relative luminance of an sRGB colour given as 0–255 channels. */
export function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio (1–21) between two opaque colours. */
export function contrastRatio(a: [number, number, number], b: [number, number, number]): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `rgb(1, 2, 3)` / `rgba(1, 2, 3, 0.5)` as computed by getComputedStyle -> channels and alpha. */
export function parseCssColor(css: string): { rgb: [number, number, number]; alpha: number } | null {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(css.trim());
  if (!m) return null;
  const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
  return { rgb: [Number(m[1]), Number(m[2]), Number(m[3])], alpha: a };
}

/** Landmarks, one h1, no skipped heading level, images with alt, links and buttons with a name, unique ids. */
export async function structureProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const visible = (el: Element): boolean => {
      const s = getComputedStyle(el);
      return s.display !== 'none' && s.visibility !== 'hidden' && !el.closest('[hidden]');
    };
    const name = (el: Element): string => {
      const labelledby = el.getAttribute('aria-labelledby');
      const byIds = labelledby ? labelledby.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ') : '';
      const imgAlt = [...el.querySelectorAll('img[alt]')].map((i) => i.getAttribute('alt')).join(' ');
      return [el.getAttribute('aria-label'), byIds, el.textContent, imgAlt, el.getAttribute('title')].join(' ').trim();
    };
    const count = (sel: string): number => document.querySelectorAll(sel).length;
    // Landmarks: the page-level header/footer must be direct children of body to be banner/contentinfo.
    if (!document.querySelector('body > header')) problems.push('no page <header> (banner landmark)');
    if (!document.querySelector('body > footer')) problems.push('no page <footer> (contentinfo landmark)');
    if (count('main') !== 1) problems.push(`${count('main')} <main> elements, expected 1`);
    if (!document.querySelector('header nav[aria-label], header nav[aria-labelledby]')) problems.push('no labelled <nav> in the header');
    for (const nav of document.querySelectorAll('nav')) if (document.querySelectorAll('nav').length > 1 && !nav.getAttribute('aria-label') && !nav.getAttribute('aria-labelledby')) problems.push('several <nav> landmarks and one has no aria-label');
    if (!document.documentElement.lang) problems.push('<html> has no lang');
    if (!document.title.trim()) problems.push('empty <title>');
    // Headings.
    const heads = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible);
    const h1s = heads.filter((h) => h.tagName === 'H1');
    if (h1s.length !== 1) problems.push(`${h1s.length} visible <h1>, expected exactly 1`);
    if (heads[0] && heads[0].tagName !== 'H1') problems.push(`first heading is <${heads[0].tagName.toLowerCase()}>, not <h1>`);
    for (let i = 1; i < heads.length; i++) {
      const prev = Number(heads[i - 1]!.tagName[1]);
      const cur = Number(heads[i]!.tagName[1]);
      if (cur > prev + 1) problems.push(`heading level skips from h${prev} to h${cur} at "${heads[i]!.textContent?.trim().slice(0, 60)}"`);
    }
    for (const h of heads) if (!h.textContent?.trim()) problems.push(`empty <${h.tagName.toLowerCase()}>`);
    // Images, links, buttons, form controls.
    for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push(`<img src="${img.getAttribute('src')}"> has no alt`);
    for (const a of document.querySelectorAll('a[href]')) if (visible(a) && !name(a)) problems.push(`link without text: ${a.outerHTML.slice(0, 120)}`);
    for (const b of document.querySelectorAll('button')) if (visible(b) && !name(b)) problems.push(`button without text: ${b.outerHTML.slice(0, 120)}`);
    for (const input of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      const id = input.id;
      const label = (id && document.querySelector(`label[for="${CSS.escape(id)}"]`)?.textContent?.trim()) || input.closest('label')?.textContent?.trim() || input.getAttribute('aria-label') || input.getAttribute('title') || (input.getAttribute('aria-labelledby') && name(input));
      if (!label) problems.push(`form control without a label: ${input.outerHTML.slice(0, 120)}`);
    }
    // Duplicate ids break label[for], aria-labelledby and in-page links.
    const seen = new Map<string, number>();
    for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    for (const [id, n] of seen) if (n > 1) problems.push(`id "${id}" used ${n} times`);
    // In-page links must land somewhere.
    for (const a of document.querySelectorAll('a[href^="#"]')) {
      const target = decodeURIComponent(a.getAttribute('href')!.slice(1));
      if (target && !document.getElementById(target)) problems.push(`in-page link to missing #${target}`);
    }
    return problems;
  });
}

/** A visible text element and the colours it is drawn with (background composited from its ancestors). */
export interface TextSample {
  selector: string;
  text: string;
  fg: string;
  bg: string[];
  fontSize: number;
  fontWeight: number;
}

/**
 * Every visible element with its own text (not only its children's), with its colour and the
 * background-colours from it up to the root, so the test can composite them and compute contrast.
 */
export async function textSamples(page: Page, max = 400): Promise<TextSample[]> {
  return page.evaluate((limit) => {
    const out: TextSample[] = [];
    const path = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && parts.length < 4; e = e.parentElement) parts.unshift(e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
      return parts.join(' > ');
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const done = new Set<Element>();
    for (let n = walker.nextNode(); n && out.length < limit; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || done.has(el) || !n.textContent?.trim()) continue;
      done.add(el);
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (s.visibility === 'hidden' || s.display === 'none' || r.width === 0 || r.height === 0 || r.right < 0 || r.bottom < 0 || el.closest('[aria-hidden="true"], script, style, noscript')) continue;
      const bg: string[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) bg.push(getComputedStyle(e).backgroundColor);
      out.push({ selector: path(el), text: n.textContent.trim().slice(0, 40), fg: s.color, bg, fontSize: parseFloat(s.fontSize), fontWeight: Number(s.fontWeight) || 400 });
    }
    return out;
  }, max);
}

/** Composite a stack of background colours (innermost first) over white. */
export function effectiveBackground(stack: string[]): [number, number, number] {
  let rgb: [number, number, number] = [255, 255, 255];
  for (const css of [...stack].reverse()) {
    const c = parseCssColor(css);
    if (!c || c.alpha === 0) continue;
    rgb = [0, 1, 2].map((i) => c.rgb[i]! * c.alpha + rgb[i]! * (1 - c.alpha)) as [number, number, number];
  }
  return rgb;
}

/** WCAG 1.4.3: 4.5:1, or 3:1 for large text (24px, or 18.66px bold). */
export function contrastProblems(samples: TextSample[]): string[] {
  const problems: string[] = [];
  for (const s of samples) {
    const fg = parseCssColor(s.fg);
    if (!fg) continue;
    const bg = effectiveBackground(s.bg);
    const fgRgb = [0, 1, 2].map((i) => fg.rgb[i]! * fg.alpha + bg[i]! * (1 - fg.alpha)) as [number, number, number];
    const ratio = contrastRatio(fgRgb, bg);
    const large = s.fontSize >= 24 || (s.fontSize >= 18.66 && s.fontWeight >= 700);
    const need = large ? 3 : 4.5;
    if (ratio < need) problems.push(`${ratio.toFixed(2)}:1 < ${need}:1 for "${s.text}" (${s.selector}; ${s.fg} on rgb(${bg.map(Math.round).join(', ')}))`);
  }
  return problems;
}

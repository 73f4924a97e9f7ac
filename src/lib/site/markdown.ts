import MarkdownIt from 'markdown-it';
import type { StateCore, StateInline, Token } from 'markdown-it';
import type { AttackReference } from '../attack/types.js';

/**
 * Markdown to HTML for text we do not control (ATT&CK descriptions, rule descriptions). Raw HTML is
 * escaped, links may only be http(s), mailto or relative, external links get `rel="nofollow noopener"`.
 */

const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Whether an href is safe to emit: http(s), mailto, or relative (no `:` before the first `/`, `?`
 * or `#`). Everything else (`javascript:`, `data:`, `vbscript:`, `file:`) is refused. Exported so
 * components can check URLs that come from data rather than from Markdown (citation URLs).
 */
export function isSafeHref(url: string): boolean {
  const s = url.trim();
  const colon = s.indexOf(':');
  if (colon < 0) return true;
  const end = s.search(/[/?#]/);
  if (end >= 0 && end < colon) return true;
  return ALLOWED_SCHEMES.has(s.slice(0, colon).toLowerCase());
}

const EXTERNAL = /^(https?:)?\/\//i;

/** One markdown-it instance per use: no HTML, our link policy, rel on external links. */
function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt('default', { html: false, linkify: false, typographer: false });
  md.validateLink = isSafeHref;
  md.renderer.rules.link_open = (tokens, idx, options, env: RenderEnv, self) => {
    const token = tokens[idx]!;
    const href = token.attrGet('href') ?? '';
    const internal = env?.techniqueHref ? attackTechniqueHref(href, env.techniqueHref) : undefined;
    if (internal !== undefined) token.attrSet('href', internal);
    else if (EXTERNAL.test(href)) token.attrSet('rel', 'nofollow noopener');
    return self.renderToken(tokens, idx, options);
  };
  return md;
}

interface RenderEnv {
  techniqueHref?: (id: string) => string | undefined;
  citations?: CitationState;
}

const plain = createMarkdown();

/** Render untrusted Markdown to safe HTML (block level). */
export function renderMarkdown(md: string): string {
  return plain.render(md, {});
}

/** A numbered citation of a rendered ATT&CK description, for its references list. */
export interface Citation {
  n: number;
  name: string;
  /** Only when the reference has a safe (http/https/mailto/relative) URL. */
  url?: string;
  /** Reference text from the bundle; '' when the cited name has no external reference. */
  description: string;
  /** Element id the superscript links to (`cite-3`): give it to the list item. */
  anchor: string;
}

export interface AttackRenderOptions {
  /** Prefix of citation anchors, unique per description when a page shows several. Default `cite`. */
  idPrefix?: string;
  /** Our page for a technique ID; attack.mitre.org technique links are rewritten to it when given. */
  techniqueHref?: (id: string) => string | undefined;
}

interface CitationState {
  names: string[];
  numbers: Map<string, number>;
  list: Citation[];
  refs: Map<string, AttackReference>;
  prefix: string;
}

const PH_OPEN = '\uE000';
const PH_CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;
const CITATION = /\(Citation:([^)]*)\)/g;

const attack = createMarkdown();
attack.inline.ruler.before('autolink', 'attack_html', attackHtml);
attack.core.ruler.after('text_join', 'attack_citations', attackCitations);
attack.renderer.rules.attack_citation = (tokens, idx, _o, env: RenderEnv) => {
  const n = Number(tokens[idx]!.meta?.n);
  const anchor = `${attack.utils.escapeHtml(env.citations?.prefix ?? 'cite')}-${n}`;
  return `<sup class="citation"><a href="#${anchor}">[${n}]</a></sup>`;
};

/**
 * Render an ATT&CK description: `(Citation: Name)` markers become numbered superscript links, in
 * order of first appearance, and the matching external references come back as the list to show
 * under the text. The few HTML tags ATT&CK uses (`<code>`, `<b>`, `<br>`) are kept; any other HTML
 * stays escaped text.
 */
export function renderAttackDescription(
  technique: { description: string; references: readonly AttackReference[] },
  options: AttackRenderOptions = {},
): { html: string; citations: Citation[] } {
  const names: string[] = [];
  // Private-use placeholders keep citation names away from the Markdown parser; strip forged ones.
  const src = technique.description.replace(/[\uE000\uE001]/g, '\uFFFD').replace(CITATION, (_m, name: string) => {
    names.push(name.trim());
    return `${PH_OPEN}${names.length - 1}${PH_CLOSE}`;
  });
  const refs = new Map<string, AttackReference>();
  for (const r of technique.references) if (!refs.has(r.source_name)) refs.set(r.source_name, r);
  const citations: CitationState = { names, numbers: new Map(), list: [], refs, prefix: options.idPrefix ?? 'cite' };
  const env: RenderEnv = { techniqueHref: options.techniqueHref, citations };
  const html = attack.render(src, env);
  return { html, citations: citations.list };
}

/** Core rule: split text tokens on placeholders into citation tokens; restore them in code and links. */
function attackCitations(state: StateCore): void {
  const cs = (state.env as RenderEnv).citations;
  if (!cs) return;
  const restore = (s: string) => s.replace(PLACEHOLDER, (_m, i: string) => `(Citation: ${cs.names[Number(i)] ?? ''})`);
  for (const block of state.tokens) {
    if (block.type === 'code_block' || block.type === 'fence') block.content = restore(block.content);
    if (block.type !== 'inline' || !block.children) continue;
    const out: Token[] = [];
    let linkDepth = 0;
    for (const tok of block.children) {
      if (tok.type === 'link_open') linkDepth++;
      if (tok.type === 'link_close') linkDepth--;
      if (tok.type === 'code_inline' || (tok.type === 'text' && linkDepth > 0)) tok.content = restore(tok.content);
      if (tok.type === 'image') for (const child of tok.children ?? []) child.content = restore(child.content);
      if (tok.type !== 'text' || linkDepth > 0 || !tok.content.includes(PH_OPEN)) {
        out.push(tok);
        continue;
      }
      let last = 0;
      for (const m of tok.content.matchAll(PLACEHOLDER)) {
        if (m.index > last) out.push(textToken(state, tok.content.slice(last, m.index)));
        const c = new state.Token('attack_citation', '', 0);
        c.meta = { n: numberCitation(cs, cs.names[Number(m[1])] ?? '') };
        out.push(c);
        last = m.index + m[0].length;
      }
      if (last < tok.content.length) out.push(textToken(state, tok.content.slice(last)));
    }
    block.children = out;
  }
}

function numberCitation(cs: CitationState, name: string): number {
  const known = cs.numbers.get(name);
  if (known !== undefined) return known;
  const n = cs.list.length + 1;
  cs.numbers.set(name, n);
  const ref = cs.refs.get(name);
  const c: Citation = { n, name, description: ref?.description ?? '', anchor: `${cs.prefix}-${n}` };
  if (ref?.url && isSafeHref(ref.url)) c.url = ref.url;
  cs.list.push(c);
  return n;
}

function textToken(state: StateCore, content: string): Token {
  const t = new state.Token('text', '', 0);
  t.content = content;
  return t;
}

/** Inline rule for the only raw HTML ATT&CK writes: `<code>…</code>`, `<b>…</b>`, `<br>`. */
function attackHtml(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  if (src.charCodeAt(pos) !== 0x3c /* < */) return false;
  const br = /^<br\s*\/?>/.exec(src.slice(pos, Math.min(posMax, pos + 8)));
  if (br) {
    if (!silent) state.push('hardbreak', 'br', 0);
    state.pos += br[0].length;
    return true;
  }
  for (const [tag, kind] of [['code', 'code'], ['b', 'strong']] as const) {
    const open = `<${tag}>`;
    if (!src.startsWith(open, pos)) continue;
    const close = src.indexOf(`</${tag}>`, pos + open.length);
    if (close < 0 || close + tag.length + 3 > posMax) return false;
    if (!silent && kind === 'code') {
      const t = state.push('code_inline', 'code', 0);
      // Entities only: backslashes in ATT&CK code are Windows paths, not Markdown escapes.
      t.content = state.md.utils.unescapeAll(src.slice(pos + open.length, close).replace(/\\/g, '\\\\'));
      t.markup = open;
    } else if (!silent) {
      const oldMax = state.posMax;
      state.push('strong_open', 'strong', 1).markup = open;
      state.pos = pos + open.length;
      state.posMax = close;
      state.md.inline.tokenize(state);
      state.posMax = oldMax;
      state.push('strong_close', 'strong', -1).markup = `</${tag}>`;
    }
    state.pos = close + tag.length + 3;
    return true;
  }
  return false;
}

const ATTACK_TECHNIQUE_URL = /^https?:\/\/attack\.mitre\.org\/techniques\/(T\d{4})(?:\/(\d{3}))?\/?$/i;

/** Our href for an attack.mitre.org technique link, or undefined to keep the link as it is. */
function attackTechniqueHref(href: string, techniqueHref: (id: string) => string | undefined): string | undefined {
  const m = ATTACK_TECHNIQUE_URL.exec(href);
  if (!m) return undefined;
  const id = m[2] ? `${m[1]!.toUpperCase()}.${m[2]}` : m[1]!.toUpperCase();
  const href2 = techniqueHref(id);
  return href2 !== undefined && isSafeHref(href2) ? href2 : undefined;
}

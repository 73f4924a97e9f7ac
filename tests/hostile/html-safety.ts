/**
 * What a browser would execute in a built page, found with a small HTML tokenizer (tags,
 * attributes with their quoting, raw-text <script>/<style>, comments): event-handler attributes,
 * script-capable URLs in URL attributes, injected <script>/<base>/<iframe> elements, and the test
 * payload inside any script or style. Escaped text (`&lt;script&gt;`) is text, and is ignored.
 */

const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'data', 'background', 'srcset', 'ping', 'cite']);
/** Elements our templates never write: finding one means rule text became markup. */
const FOREIGN_TAGS = new Set(['iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet']);

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", colon: ':', tab: '\t', newline: '\n' };

/** Decode character references the way a browser does inside an attribute value. */
export function decodeAttr(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

/** A URL a browser would run as script or as a document of the attacker's making. */
export function isDangerousUrl(raw: string): boolean {
  // Browsers drop ASCII tab/newline anywhere and leading control/space before parsing the scheme.
  const url = decodeAttr(raw).replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+/, '');
  return /^(javascript|vbscript|data|livescript):/i.test(url);
}

export interface HtmlFinding {
  kind: 'event-handler' | 'dangerous-url' | 'foreign-element' | 'script-payload' | 'raw-payload';
  detail: string;
}

/**
 * Scan one HTML document. `payload` is a marker the hostile fixtures carry (`__pwned`): it may
 * appear as text, never inside script/style content or a handler/URL attribute.
 */
export function scanHtmlSafety(html: string, payload = '__pwned'): HtmlFinding[] {
  const out: HtmlFinding[] = [];
  const n = html.length;
  let i = 0;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      const body = html.slice(lt, end < 0 ? n : end + 3);
      if (body.includes(payload)) out.push({ kind: 'raw-payload', detail: `comment: ${body.slice(0, 120)}` });
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?' || html[lt + 1] === '/') {
      const end = html.indexOf('>', lt + 1);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (!/[a-zA-Z]/.test(html[lt + 1] ?? '')) {
      i = lt + 1;
      continue;
    }
    // start tag
    let j = lt + 1;
    while (j < n && !/[\s/>]/.test(html[j]!)) j++;
    const name = html.slice(lt + 1, j).toLowerCase();
    const attrs: [string, string][] = [];
    while (j < n && html[j] !== '>') {
      while (j < n && /[\s/]/.test(html[j]!)) j++;
      if (html[j] === '>') break;
      let k = j;
      while (k < n && !/[\s/>=]/.test(html[k]!)) k++;
      const attr = html.slice(j, k).toLowerCase();
      j = k;
      while (j < n && /\s/.test(html[j]!)) j++;
      let value = '';
      if (html[j] === '=') {
        j++;
        while (j < n && /\s/.test(html[j]!)) j++;
        const q = html[j];
        if (q === '"' || q === "'") {
          const close = html.indexOf(q, j + 1);
          value = html.slice(j + 1, close < 0 ? n : close);
          j = close < 0 ? n : close + 1;
        } else {
          let k2 = j;
          while (k2 < n && !/[\s>]/.test(html[k2]!)) k2++;
          value = html.slice(j, k2);
          j = k2;
        }
      }
      if (attr) attrs.push([attr, value]);
    }
    i = j + 1;
    for (const [attr, value] of attrs) {
      if (attr.startsWith('on')) out.push({ kind: 'event-handler', detail: `<${name} ${attr}="${value.slice(0, 80)}">` });
      if ((URL_ATTRS.has(attr) || (name === 'meta' && attr === 'content' && /url=/i.test(value))) && isDangerousUrl(attr === 'content' ? value.replace(/^.*?url=/i, '') : value)) {
        out.push({ kind: 'dangerous-url', detail: `<${name} ${attr}="${value.slice(0, 80)}">` });
      }
    }
    if (FOREIGN_TAGS.has(name)) out.push({ kind: 'foreign-element', detail: html.slice(lt, Math.min(i, lt + 120)) });
    if (name === 'script' || name === 'style') {
      const close = html.toLowerCase().indexOf(`</${name}`, i);
      const body = html.slice(i, close < 0 ? n : close);
      if (body.includes(payload)) out.push({ kind: 'script-payload', detail: `<${name}>${body.slice(0, 120)}` });
      i = close < 0 ? n : close;
    }
  }
  return out;
}

/** Decode the five XML entities and numeric references (for `type="html"` feed content). */
export function decodeXml(s: string): string {
  return decodeAttr(s);
}

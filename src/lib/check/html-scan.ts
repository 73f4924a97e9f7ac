/**
 * Fast, dependency-free scanning of our own generated HTML (Astro output is regular): links,
 * ids, landmarks. Used by the post-build checks, never on third-party HTML.
 */
export interface PageScan {
  hrefs: string[];
  ids: string[];
  h1: number;
  hasTitle: boolean;
  hasLang: boolean;
  hasMain: boolean;
  searchable: boolean;
  /** `<script>` elements whose src is not ours (pagefind) or that are inline outside the search page. */
  scripts: string[];
  /** Attribute values that start with `javascript:` (must be none). */
  jsUrls: number;
  /** Headings in document order (levels), for the heading-order check. */
  headings: number[];
}

const ATTR = /\s(href|src|id)=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g;
/** A start tag, quote-aware: Astro leaves `<` and `>` unescaped inside quoted attribute values. */
const TAG = /<[a-zA-Z](?:[^>"']|"[^"]*"|'[^']*')*>/g;
const HEADING = /<h([1-6])[\s>]/g;

export function scanPage(html: string): PageScan {
  const hrefs: string[] = [];
  const ids: string[] = [];
  let jsUrls = 0;
  // Attributes inside tags only: escaped rule text such as `&lt;a href=&quot;...` is not a link.
  for (const tag of html.matchAll(TAG)) {
    for (const m of tag[0].matchAll(ATTR)) {
      const value = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
      if (m[1] === 'id') ids.push(value);
      else {
        if (/^\s*javascript:/i.test(value)) jsUrls++;
        if (m[1] === 'href') hrefs.push(value);
      }
    }
  }
  const headings = [...html.matchAll(HEADING)].map((m) => Number(m[1]));
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? '');
  return {
    hrefs,
    ids,
    h1: headings.filter((h) => h === 1).length,
    hasTitle: /<title>[^<]+<\/title>/.test(html),
    hasLang: /<html[^>]*\slang="[a-z]/.test(html),
    hasMain: /<main[\s>]/.test(html),
    searchable: /data-pagefind-body/.test(html),
    scripts,
    jsUrls,
    headings,
  };
}

export function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e] ?? _);
}

/** A heading that jumps more than one level down (h2 -> h4) breaks the outline. */
export function headingJumps(levels: number[]): number {
  let jumps = 0;
  for (let i = 1; i < levels.length; i++) if (levels[i]! > levels[i - 1]! + 1) jumps++;
  return jumps;
}

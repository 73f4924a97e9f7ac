/**
 * The only place that builds hrefs and output paths. Every path segment that comes from rule text
 * goes through `safeSegment`, so a hostile ID can neither climb out of dist/ nor collide.
 */

let base = normalizeBase(process.env.SITE_BASE ?? '/');

function normalizeBase(b: string): string {
  let out = b.startsWith('/') ? b : '/' + b;
  if (!out.endsWith('/')) out += '/';
  return out;
}

/** Set the site base path (`/` for a root site, `/repo/` for a GitHub Pages project site). */
export function setBase(b: string): void {
  base = normalizeBase(b);
}

export function siteBase(): string {
  return base;
}

/**
 * Lower-case, `[a-z0-9-]` only, no leading/trailing dash, at most 80 chars; never empty.
 * Used for rule IDs from third-party files, so `../../x`, absolute paths and confusables are flattened.
 */
export function safeSegment(text: string, fallback = 'item'): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return s === '' ? fallback : s;
}

/** `T1055.012` -> `T1055/012`: sub-techniques live below their parent, as on attack.mitre.org. */
export function techniqueParam(id: string): string {
  return id.toUpperCase().replace('.', '/');
}

export function techniqueHref(id: string): string {
  return `${base}techniques/${techniqueParam(id)}/`;
}

export function tacticHref(shortname: string): string {
  return `${base}tactics/${safeSegment(shortname)}/`;
}

export function eventHref(key: string): string {
  return `${base}events/${safeSegment(key)}/`;
}

export function ruleParam(source: string, slug: string): string {
  return `${safeSegment(source)}/${slug}`;
}

export function ruleHref(source: string, slug: string): string {
  return `${base}rules/${ruleParam(source, slug)}/`;
}

export function sourceHref(source: string): string {
  return `${base}rules/${safeSegment(source)}/`;
}

export function fieldHref(canonical: string): string {
  return `${base}fields/${safeSegment(canonical.replace(/\./g, '-'), 'field')}/`;
}

export function pageHref(path: string): string {
  return `${base}${path.replace(/^\/+/, '')}`;
}

/** https/http only: anything else from a rule (javascript:, data:, file:) is not linked. */
export function safeExternalUrl(url: string): string | null {
  const trimmed = url.trim();
  if (!/^https?:\/\/[^\s]+$/i.test(trimmed)) return null;
  try {
    const u = new URL(trimmed);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** Link to the upstream file at its commit, from a source's `fileUrl` template or a GitHub repo URL. */
export function upstreamFileUrl(opts: { repo?: string; commit?: string | null; ref?: string; fileUrl?: string; dir?: string; path: string }): string | null {
  const commit = opts.commit ?? opts.ref;
  if (opts.fileUrl) {
    const url = opts.fileUrl
      .replace('{repo}', opts.repo ?? '')
      .replace('{commit}', commit ?? 'HEAD')
      .replace('{path}', opts.path.split('/').map(encodeURIComponent).join('/'));
    return safeExternalUrl(url);
  }
  if (opts.repo && /^https:\/\/github\.com\//.test(opts.repo) && commit) {
    const repo = opts.repo.replace(/\.git$/, '').replace(/\/$/, '');
    return safeExternalUrl(`${repo}/blob/${encodeURIComponent(commit)}/${opts.path.split('/').map(encodeURIComponent).join('/')}`);
  }
  return null;
}

import { createHash } from 'node:crypto';
import { ruleHref, techniqueHref } from '../site/urls.js';
import { commitRangeText, compareUrl } from './commit-range.js';
import { techniqueScopes } from './diff.js';
import { escapeHtml } from './escape.js';
import { absoluteHref, changesHref } from './urls.js';
import type { ChangeSet, NewIndicator, RuleChange, SourceChanges } from './types.js';

/** Tag URI prefix (RFC 4151) of every entry and feed id: stable whatever the site's URL. */
export const TAG_PREFIX = 'tag:attack-coverage-catalog,2025:';

/** One rule change as a feed entry (Atom and JSON Feed are written from the same entries). */
export interface FeedEntry {
  id: string;
  title: string;
  /** Link for the entry: the rule's page, or the changes page for a rule that no longer has one. */
  url: string;
  /** RFC 3339, from the build date. */
  updated: string;
  html: string;
  summary: string;
  tags: string[];
  change: RuleChange;
  source: { id: string; title: string; from: string | null; to: string | null };
}

/** What exists on the site now (old entries must not link to pages that are gone). */
export interface EntryContext {
  siteUrl?: string;
  ruleExists(source: string, slug: string): boolean;
  techniqueExists(id: string): boolean;
}

const KIND_LABEL = { added: 'Added', changed: 'Changed', removed: 'Removed' } as const;

/** `2025-03-01` -> `2025-03-01T00:00:00Z`: feeds need a date-time; the build has a date. */
export function feedDate(buildDate: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(buildDate) ? `${buildDate}T00:00:00Z` : '1970-01-01T00:00:00Z';
}

/**
 * Stable entry id: source, rule id and upstream commit (the build date for a folder without git),
 * plus a short hash of the change, so two builds at one commit (say, after a catalog edit) differ.
 */
export function changeEntryId(cs: ChangeSet, source: SourceChanges, change: RuleChange): string {
  const at = source.to ? source.to.slice(0, 12) : cs.buildDate;
  const h = createHash('sha256').update(JSON.stringify(change)).digest('hex').slice(0, 10);
  return `${TAG_PREFIX}change/${encodeURIComponent(source.id)}/${encodeURIComponent(change.rule.id)}/${at}/${change.kind}-${h}`;
}

/** Entries of the site-wide feed: every rule change of the kept builds, newest build first. */
export function siteFeedEntries(history: readonly ChangeSet[], ctx: EntryContext, limit = 200): FeedEntry[] {
  const out: FeedEntry[] = [];
  for (const cs of history) {
    for (const s of cs.sources) {
      for (const c of s.rules) {
        if (out.length >= limit) return out;
        out.push(toEntry(cs, s, c, ctx, null));
      }
    }
  }
  return out;
}

/** Entries of one technique's feed: changes of rules under it (or its sub-techniques), before or after. */
export function techniqueFeedEntries(history: readonly ChangeSet[], techniqueId: string, ctx: EntryContext, limit = 50): FeedEntry[] {
  const out: FeedEntry[] = [];
  for (const cs of history) {
    const tc = cs.techniques.find((t) => t.id === techniqueId);
    if (!tc) continue;
    const wanted = new Set(tc.rules.map((r) => `${r.source}\0${r.slug}\0${r.kind}`));
    for (const s of cs.sources) {
      for (const c of s.rules) {
        if (!wanted.has(`${c.rule.source}\0${c.rule.slug}\0${c.kind}`)) continue;
        if (out.length >= limit) return out;
        const mine = tc.newIndicators.filter((ni) => ni.rules.some((r) => r.source === c.rule.source && r.slug === c.rule.slug));
        out.push(toEntry(cs, s, c, ctx, { id: techniqueId, indicators: mine }));
      }
    }
  }
  return out;
}

function toEntry(cs: ChangeSet, s: SourceChanges, c: RuleChange, ctx: EntryContext, technique: { id: string; indicators: NewIndicator[] } | null): FeedEntry {
  const live = c.kind !== 'removed' && ctx.ruleExists(c.rule.source, c.rule.slug);
  const url = absoluteHref(live ? ruleHref(c.rule.source, c.rule.slug) : changesHref(), ctx.siteUrl);
  const techniques = techniqueScopes([...c.rule.techniques, ...(c.techniques?.removed ?? [])]).sort();
  return {
    id: changeEntryId(cs, s, c),
    title: `${KIND_LABEL[c.kind]}: ${c.rule.title} (${s.title})`,
    url,
    updated: feedDate(cs.buildDate),
    html: entryHtml(cs, s, c, ctx, technique),
    summary: entrySummary(c),
    tags: [s.id, c.kind, ...techniques],
    change: c,
    source: { id: s.id, title: s.title, from: s.from, to: s.to },
  };
}

function entrySummary(c: RuleChange): string {
  const bits: string[] = [];
  if (c.previousTitle !== undefined) bits.push('renamed');
  if (c.predicates && c.kind === 'changed') bits.push(`${c.predicates.added.length} predicate(s) added, ${c.predicates.removed.length} removed`);
  if (c.kind === 'added') bits.push(`${c.predicates?.added.length ?? 0} predicate(s)`);
  if (c.techniques && c.kind === 'changed') bits.push(`techniques +${c.techniques.added.length} −${c.techniques.removed.length}`);
  if (c.events && c.kind === 'changed') bits.push(`events +${c.events.added.length} −${c.events.removed.length}`);
  if (c.deprecated) bits.push(c.deprecated.after ? 'deprecated' : 'no longer deprecated');
  return `${KIND_LABEL[c.kind]} ${c.rule.source} rule ${c.rule.id}${bits.length ? `: ${bits.join('; ')}` : ''}.`;
}

/** The entry body: every rule-derived string escaped. */
function entryHtml(cs: ChangeSet, s: SourceChanges, c: RuleChange, ctx: EntryContext, technique: { id: string; indicators: NewIndicator[] } | null): string {
  const e = escapeHtml;
  const link = (href: string, text: string) => `<a href="${e(absoluteHref(href, ctx.siteUrl))}">${e(text)}</a>`;
  const tlink = (id: string) => (ctx.techniqueExists(id) ? link(techniqueHref(id), id) : e(id));
  const cmp = compareUrl(s.repo, s.from, s.to);
  const range = cmp ? `<a href="${e(cmp)}">${e(commitRangeText(s.from, s.to))}</a>` : e(commitRangeText(s.from, s.to));
  const parts: string[] = [];
  const live = c.kind !== 'removed' && ctx.ruleExists(c.rule.source, c.rule.slug);
  parts.push(`<p>${live ? link(ruleHref(c.rule.source, c.rule.slug), c.rule.title) : `<strong>${e(c.rule.title)}</strong>`}</p>`);
  parts.push(`<p>${KIND_LABEL[c.kind]} in ${e(s.title)}, upstream ${range}, build of ${e(cs.buildDate)}. Rule <code>${e(c.rule.id)}</code>, file <code>${e(c.rule.path)}</code>.</p>`);
  if (c.previousTitle !== undefined) parts.push(`<p>Renamed from “${e(c.previousTitle)}”.</p>`);
  if (c.deprecated) parts.push(`<p>${c.deprecated.after ? 'Now deprecated upstream.' : 'No longer deprecated upstream.'}</p>`);
  const list = (label: string, items: string[], fmt: (x: string) => string) => {
    if (items.length > 0) parts.push(`<p>${label}:</p><ul>${items.map((x) => `<li>${fmt(x)}</li>`).join('')}</ul>`);
  };
  const code = (x: string) => `<code>${e(x)}</code>`;
  if (c.kind === 'removed') {
    if (c.rule.techniques.length > 0) parts.push(`<p>Techniques: ${c.rule.techniques.map(tlink).join(', ')}</p>`);
  } else {
    list('Techniques added', c.techniques?.added ?? [], tlink);
    list('Techniques removed', c.techniques?.removed ?? [], tlink);
    list('Events added', c.events?.added ?? [], code);
    list('Events removed', c.events?.removed ?? [], code);
    list(c.kind === 'added' ? 'Predicates' : 'Predicates added', c.predicates?.added ?? [], code);
    list('Predicates removed', c.predicates?.removed ?? [], code);
    if (c.truncated) parts.push(`<p>${c.truncated} more predicate line(s) not shown.</p>`);
  }
  if (technique && technique.indicators.length > 0) list(`New indicator values under ${technique.id}`, technique.indicators.map((i) => i.text), code);
  return parts.join('');
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { atomFeed, jsonFeed, type FeedMeta } from './feeds.js';
import { feedDate, siteFeedEntries, techniqueFeedEntries, TAG_PREFIX, type EntryContext, type FeedEntry } from './feed-entries.js';
import { absoluteHref, changesFeedHref, changesHref, techniqueFeedFile, techniqueFeedHref, type FeedKind } from './urls.js';
import { techniqueHref } from '../site/urls.js';
import type { ChangeLog } from './types.js';

export interface WriteFeedsOptions extends EntryContext {
  /** Techniques with a page: each gets its own feeds next to it. */
  techniques: readonly { id: string; name: string }[];
  siteEntries?: number;
  techniqueEntries?: number;
}

/**
 * Write the site-wide Atom and JSON feeds (`changes.atom`, `changes.json`) and one pair per
 * technique (`techniques/<id>/changes.atom|json`) into dist/. Static files from the build step:
 * ~1,400 small files in well under a second, no Astro route per technique. Returns the file count.
 */
export function writeChangeFeeds(log: ChangeLog, outDir: string, opts: WriteFeedsOptions): number {
  let files = 0;
  const write = (rel: string, text: string): void => {
    const abs = join(outDir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    files++;
  };
  const pair = (meta: Omit<FeedMeta, 'selfUrl' | 'updated'>, entries: FeedEntry[], file: (k: FeedKind) => string, href: (k: FeedKind) => string): void => {
    const updated = entries[0]?.updated ?? feedDate(log.current.buildDate);
    write(file('atom'), atomFeed({ ...meta, updated, selfUrl: absoluteHref(href('atom'), opts.siteUrl) }, entries));
    write(file('json'), jsonFeed({ ...meta, updated, selfUrl: absoluteHref(href('json'), opts.siteUrl) }, entries));
  };
  pair(
    {
      id: `${TAG_PREFIX}changes`,
      title: 'ATT&CK coverage catalog: rule changes',
      subtitle: 'Detection rules added, removed and changed upstream (Sigma, Elastic, Splunk), build by build.',
      pageUrl: absoluteHref(changesHref(), opts.siteUrl),
    },
    siteFeedEntries(log.history, opts, opts.siteEntries),
    (k) => `changes.${k}`,
    changesFeedHref,
  );
  for (const t of opts.techniques) {
    pair(
      {
        id: `${TAG_PREFIX}changes/technique/${t.id}`,
        title: `${t.id} ${t.name}: rule changes`,
        subtitle: `Detection rules under ATT&CK ${t.id} (and its sub-techniques) added, removed and changed upstream.`,
        pageUrl: absoluteHref(techniqueHref(t.id), opts.siteUrl),
      },
      techniqueFeedEntries(log.history, t.id, opts, opts.techniqueEntries),
      (k) => techniqueFeedFile(t.id, k),
      (k) => techniqueFeedHref(t.id, k),
    );
  }
  return files;
}

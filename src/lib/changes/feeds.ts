import { escapeXml, stripInvalidXml } from './escape.js';
import type { FeedEntry } from './feed-entries.js';

/** What a feed says about itself; hrefs are absolute when the site URL is known. */
export interface FeedMeta {
  /** Tag URI of the feed. */
  id: string;
  title: string;
  subtitle: string;
  /** This feed's own URL, and the HTML page it follows. */
  selfUrl: string;
  pageUrl: string;
  /** RFC 3339: the newest entry's date, or the build's when there is none. */
  updated: string;
}

/** Atom 1.0 (RFC 4287): escaped text, `type="html"` content, one author for the feed. */
export function atomFeed(meta: FeedMeta, entries: readonly FeedEntry[]): string {
  const x = escapeXml;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${x(meta.id)}</id>`,
    `  <title>${x(meta.title)}</title>`,
    `  <subtitle>${x(meta.subtitle)}</subtitle>`,
    `  <link rel="self" type="application/atom+xml" href="${x(meta.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${x(meta.pageUrl)}"/>`,
    `  <updated>${x(meta.updated)}</updated>`,
    '  <author><name>ATT&amp;CK coverage catalog</name></author>',
    '  <generator>attack-coverage-catalog</generator>',
  ];
  for (const e of entries) {
    lines.push(
      '  <entry>',
      `    <id>${x(e.id)}</id>`,
      `    <title>${x(e.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${x(e.url)}"/>`,
      `    <updated>${x(e.updated)}</updated>`,
      ...e.tags.map((t) => `    <category term="${x(t)}"/>`),
      `    <summary>${x(e.summary)}</summary>`,
      `    <content type="html">${x(e.html)}</content>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

/**
 * JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Items carry the machine-readable change under
 * the `_change` extension key (extensions start with an underscore, per the spec).
 */
export function jsonFeed(meta: FeedMeta, entries: readonly FeedEntry[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    description: meta.subtitle,
    home_page_url: meta.pageUrl,
    feed_url: meta.selfUrl,
    authors: [{ name: 'ATT&CK coverage catalog' }],
    items: entries.map((e) => ({
      id: e.id,
      url: e.url,
      title: e.title,
      summary: e.summary,
      content_html: e.html,
      date_published: e.updated,
      tags: e.tags,
      _change: { source: e.source, ...e.change },
    })),
  };
  // JSON is valid with any code point, but keep it consistent with the Atom text.
  return stripInvalidXml(JSON.stringify(feed, null, 1)) + '\n';
}

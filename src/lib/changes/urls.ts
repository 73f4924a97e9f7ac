import { pageHref, techniqueHref, techniqueParam } from '../site/urls.js';

export type FeedKind = 'atom' | 'json';

/** The "What changed" page. */
export function changesHref(): string {
  return pageHref('changes/');
}

/** Site-wide feeds: `/changes.atom`, `/changes.json`. */
export function changesFeedHref(kind: FeedKind): string {
  return pageHref(`changes.${kind}`);
}

/** A technique's feeds sit next to its page: `/techniques/T1055/012/changes.atom`. */
export function techniqueFeedHref(id: string, kind: FeedKind): string {
  return `${techniqueHref(id)}changes.${kind}`;
}

/** Output paths (relative to dist/, without the base) of the files `techniqueFeedHref` names. */
export function techniqueFeedFile(id: string, kind: FeedKind): string {
  return `techniques/${techniqueParam(id)}/changes.${kind}`;
}

/** An absolute URL when the site's URL is known (feeds are read outside the site), else the href. */
export function absoluteHref(href: string, siteUrl: string | undefined): string {
  if (!siteUrl) return href;
  try {
    return new URL(href, siteUrl).href;
  } catch {
    return href;
  }
}

/** The change feed: each build against the previous one, published as a page and Atom/JSON feeds. */
export type * from './types.js';
export { snapshotOf, snapshotFromApi, readSnapshot, writeSnapshot, predicateLine, type PredicateLike } from './snapshot.js';
export { diffSnapshots, multisetDiff, techniqueScopes, type DiffOptions } from './diff.js';
export { trackChanges, appendHistory, hasChanges, SNAPSHOT_FILE, HISTORY_FILE, type TrackOptions, type TrackedChanges } from './track.js';
export { siteFeedEntries, techniqueFeedEntries, changeEntryId, feedDate, TAG_PREFIX, type FeedEntry, type EntryContext } from './feed-entries.js';
export { atomFeed, jsonFeed, type FeedMeta } from './feeds.js';
export { writeChangeFeeds, type WriteFeedsOptions } from './write-feeds.js';
export { changesHref, changesFeedHref, techniqueFeedHref, techniqueFeedFile, absoluteHref, type FeedKind } from './urls.js';
export { commitRangeText, compareUrl } from './commit-range.js';
export { escapeXml, escapeHtml, stripInvalidXml } from './escape.js';

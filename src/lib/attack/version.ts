import type { VersionSource } from './types.js';
import { str, type StixObject } from './stix.js';

/**
 * ATT&CK releases and their publication dates. mitre/cti bundles carry no collection object, so the
 * release is inferred as the first one published on or after the latest `modified` timestamp of the
 * bundle (objects are edited before a release ships) and after the one before it. Bundles older than
 * 17.0 or newer than the last listed release come out as `unknown`: add a row when a release ships.
 */
const RELEASES: readonly { version: string; date: string }[] = [
  // Only a lower bound for 17.0; dates are end-of-day UTC so same-day edits count for that release.
  { version: '16.1', date: '2024-11-14T23:59:59Z' },
  { version: '17.0', date: '2025-04-22T23:59:59Z' },
  { version: '17.1', date: '2025-04-25T23:59:59Z' },
  { version: '18.0', date: '2025-10-28T23:59:59Z' },
  { version: '18.1', date: '2025-11-13T23:59:59Z' },
];

/**
 * The ATT&CK release of a bundle: the `x_mitre_version` of an `x-mitre-collection` object when the
 * bundle has one (attack-stix-data), else inferred from dates (mitre/cti).
 */
export function bundleVersion(objects: readonly StixObject[]): { version: string; versionSource: VersionSource; modified: string } {
  let modified = '';
  let collection = '';
  for (const o of objects) {
    const m = str(o, 'modified');
    if (m > modified) modified = m;
    if (o.type === 'x-mitre-collection' && !collection) collection = str(o, 'x_mitre_version');
  }
  if (collection) return { version: collection, versionSource: 'collection', modified };
  for (let i = 1; i < RELEASES.length; i++) {
    const prev = RELEASES[i - 1]!;
    const release = RELEASES[i]!;
    if (modified > prev.date && modified <= release.date) return { version: release.version, versionSource: 'inferred', modified };
  }
  return { version: 'unknown', versionSource: 'unknown', modified };
}

/** Offline export of the built site: a deterministic .tar.gz with a tiny server (scripts/export.ts). */
export { archiveMtime, compareNames, createSiteArchive, listTree, type ArchiveEntry, type SiteArchiveOptions } from './archive.js';
export { checkDist, type DistProblem } from './check-dist.js';

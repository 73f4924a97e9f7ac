/** The incremental index cache: parsed rule files by content hash, the ATT&CK model by bundle hash. */
export { INDEX_CACHE_VERSION, codeFingerprint } from './version.js';
export { IndexCache, SIDE_INPUTS, type IndexCacheOptions } from './index-cache.js';
export { type CacheStats } from './source-entries.js';
export { cachedAttackView, reduceAttack, reducedAttackView, type ReducedAttack } from './attack-cache.js';
export { hashCatalogDir, hashGlobs, sha256Hex } from './hash.js';
export { cacheSizeBytes } from './size.js';
export { cachedCatalog } from './catalog-cache.js';

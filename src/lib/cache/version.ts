import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

/**
 * Bump when parsing changes in a way the code fingerprint below cannot see (a dependency upgrade of
 * js-yaml or smol-toml, a change of the `FileResult` shape): every cached parse is then dropped.
 */
export const INDEX_CACHE_VERSION = 'index-cache-1';

/**
 * Folders (under src/lib) whose code decides what a rule file parses to, or what the ATT&CK model
 * holds. Their text is hashed into every cache key, so editing a parser invalidates the cache even
 * when nobody remembers to bump INDEX_CACHE_VERSION.
 */
const CODE_INPUTS = ['sources', 'query', 'model', 'catalog', 'diagnostics', 'attack', 'cache', 'pipeline/collect.ts', 'pipeline/attack-view.ts'];

let fingerprint: string | null = null;

/**
 * sha256 over INDEX_CACHE_VERSION and the source text of the parsing code (when it is on disk, as
 * under tsx and Vitest). Computed once per process: ~150 small files, a few milliseconds.
 */
export function codeFingerprint(): string {
  fingerprint ??= hashCode(INDEX_CACHE_VERSION, CODE_INPUTS);
  return fingerprint;
}

/** sha256 over `seed` and the text of the code files under the `inputs` (paths under src/lib). */
function hashCode(seed: string, inputs: readonly string[]): string {
  const h = createHash('sha256').update(seed);
  const lib = fileURLToPath(new URL('..', import.meta.url));
  for (const input of inputs) {
    for (const file of listCode(join(lib, input))) {
      h.update('\0' + file.slice(lib.length) + '\0');
      h.update(readFileSync(file));
    }
  }
  return h.digest('hex');
}

/**
 * Folders whose code decides what the index holds once files are parsed (normalization,
 * aggregates, the incremental state itself): with codeFingerprint, the key of the incremental
 * index state (src/lib/incremental).
 */
const INDEX_CODE_INPUTS = ['aggregate', 'normalize', 'incremental', 'pipeline', 'site/urls.ts'];

let indexFingerprint: string | null = null;

export function indexCodeFingerprint(): string {
  indexFingerprint ??= hashCode(codeFingerprint(), INDEX_CODE_INPUTS);
  return indexFingerprint;
}

function listCode(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    return [];
  }
  if (st.isFile()) return /\.(ts|js|mjs)$/.test(path) ? [path] : [];
  if (!st.isDirectory()) return [];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) out.push(...listCode(join(path, name)));
  return out;
}

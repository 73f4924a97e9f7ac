import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes on disk under a folder (the bench reports the cache's size). */
export function cacheSizeBytes(dir: string): number {
  let n = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const p = join(dir, name);
    const st = statSync(p);
    n += st.isDirectory() ? cacheSizeBytes(p) : st.size;
  }
  return n;
}

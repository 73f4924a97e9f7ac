import { isAbsolute, normalize } from 'node:path';
import type { SourcesFile } from '../catalog/schema.js';
import { FetchError } from './errors.js';

/** One checkout to make: a repository at a ref, in `<cache>/<dir>`, shared by one or more source ids. */
export interface FetchTarget {
  /** Lock key and name in messages: the first source id using this checkout. */
  id: string;
  /** Every source id that reads this checkout (e.g. two Sigma rule folders of one repo). */
  ids: string[];
  repo: string;
  /** Branch or tag tracked by `--update`; `HEAD` (the remote's default branch) when not configured. */
  ref: string;
  /** Folder under the cache, as the build's `--root` expects it. */
  dir: string;
  /** Commit named in the sources file, used when the lock has no entry yet. */
  commit?: string;
}

/** Source id under which the ATT&CK bundle's repository is fetched and locked. */
export const ATTACK_TARGET_ID = 'attack';

/**
 * The checkouts a sources file asks for: every source with a `repo`, plus the ATT&CK bundle's repo
 * (its folder is the bundle path's first segment). Sources sharing a folder are fetched once.
 * Problems (two repos in one folder, a folder escaping the cache) come back instead of throwing.
 */
export function fetchTargets(file: SourcesFile): { targets: FetchTarget[]; problems: FetchError[] } {
  const byDir = new Map<string, FetchTarget>();
  const problems: FetchError[] = [];
  const wanted: Array<{ id: string; repo: string; ref?: string; dir: string; commit?: string }> = [];
  for (const s of file.sources) {
    if (s.repo) wanted.push({ id: s.id, repo: s.repo, ref: s.ref, dir: s.dir, commit: s.commit });
  }
  if (file.attack.repo) {
    const bundle = [file.attack.bundle].flat()[0]!;
    const first = bundle.split(/[\\/]/)[0] ?? '';
    if (first === bundle || first === '' || first === '.') {
      problems.push(new FetchError('bad-config', `attack.bundle ${bundle} has no folder to clone ${file.attack.repo} into`, 'write the bundle path as <dir>/<path in the repo>, e.g. attack/enterprise-attack/enterprise-attack.json'));
    } else {
      wanted.push({ id: ATTACK_TARGET_ID, repo: file.attack.repo, dir: first, commit: file.attack.commit });
    }
  }
  for (const w of wanted) {
    const dir = normalize(w.dir).replace(/\\/g, '/').replace(/\/+$/, '');
    if (isAbsolute(w.dir) || dir === '.' || dir === '..' || dir.startsWith('../')) {
      problems.push(new FetchError('bad-config', `source ${w.id}: dir ${w.dir} is not a folder inside the cache`, 'use a relative folder name such as `sigma`'));
      continue;
    }
    const ref = w.ref ?? 'HEAD';
    const prev = byDir.get(dir);
    if (!prev) {
      byDir.set(dir, { id: w.id, ids: [w.id], repo: w.repo, ref, dir, ...(w.commit ? { commit: w.commit } : {}) });
    } else if (prev.repo === w.repo && (prev.ref === ref || w.ref === undefined)) {
      prev.ids.push(w.id);
    } else {
      problems.push(new FetchError('bad-config', `sources ${prev.id} and ${w.id} share dir ${dir} but name different repos or refs`, 'give each repository its own dir'));
    }
  }
  return { targets: [...byDir.values()], problems };
}

import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

const HASH = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * The commit checked out in `dir` (its HEAD), or null when `dir` is not the top of a git checkout.
 * The build stamps rule pages with it. Reads `.git` directly (no git process, works where git is
 * not installed) and only looks at `dir` itself: a folder inside the project's own repository must
 * not be stamped with the project's commit.
 */
export function sourceCommit(dir: string): string | null {
  const gitDir = findGitDir(resolve(dir));
  if (!gitDir) return null;
  const head = readText(join(gitDir, 'HEAD'));
  if (head === null) return null;
  if (HASH.test(head)) return head;
  const m = /^ref:\s*(\S+)$/.exec(head);
  if (!m?.[1]) return null;
  return resolveRef(gitDir, m[1]);
}

/** `<dir>/.git` as a folder, or the folder a `gitdir:` file points to (worktrees, submodules). */
function findGitDir(dir: string): string | null {
  const dotGit = join(dir, '.git');
  try {
    const st = statSync(dotGit);
    if (st.isDirectory()) return dotGit;
    if (!st.isFile()) return null;
  } catch {
    return null;
  }
  const text = readText(dotGit);
  const m = text ? /^gitdir:\s*(.+)$/.exec(text) : null;
  if (!m?.[1]) return null;
  return isAbsolute(m[1]) ? m[1] : resolve(dir, m[1]);
}

function resolveRef(gitDir: string, ref: string): string | null {
  // Worktrees keep their refs in the common dir.
  const common = readText(join(gitDir, 'commondir'));
  const dirs = [gitDir, ...(common ? [isAbsolute(common) ? common : resolve(gitDir, common)] : [])];
  for (const d of dirs) {
    const loose = readText(join(d, ref));
    if (loose && HASH.test(loose)) return loose;
    const packed = readText(join(d, 'packed-refs'));
    if (packed) {
      for (const line of packed.split('\n')) {
        const [sha, name] = line.split(' ');
        if (name === ref && sha && HASH.test(sha)) return sha;
      }
    }
  }
  return null; // unborn branch: nothing checked out yet
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

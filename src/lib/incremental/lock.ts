import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One run at a time per index state folder. Two builds sharing a cache folder (parallel CI jobs,
 * test workers) would otherwise append to the same body store and overwrite each other's state:
 * the one that does not get the lock runs in full and leaves the state alone. A lock whose process
 * is gone (a crashed run) is taken over.
 */
export function acquireLock(dir: string): (() => void) | null {
  const file = join(dir, 'lock');
  mkdirSync(dir, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return null;
      if (!holderIsGone(file)) return null;
      rmSync(file, { force: true });
    }
  }
  return null;
}

function holderIsGone(file: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8'));
  } catch {
    return false; // removed meanwhile: try again
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

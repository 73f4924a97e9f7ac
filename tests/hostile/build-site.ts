import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./build-site.child.ts', import.meta.url));
/** One Astro build at a time per checkout: each takes both cores, and two would only slow each other down. */
const LOCK = join(tmpdir(), `attack-catalog-site-build-${createHash('sha256').update(resolve('.')).digest('hex').slice(0, 12)}.lock`);

export interface SiteBuildSummary {
  pages: number;
  apiFiles: number;
  searchPages: number;
  rules: number;
}

async function withLock<T>(fn: () => Promise<T>, waitMs = 600_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than the longest build is left over from a killed run.
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > waitMs) rmdirSync(LOCK);
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() - t0 > waitMs) throw new Error(`site build lock ${LOCK} still held after ${waitMs} ms`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmdirSync(LOCK);
  }
}

/**
 * Run `buildSite(opts)` (scripts/site-build.ts) in a child process, one build at a time per
 * checkout; `env` adds variables such as SOURCE_DATE_EPOCH. Rejects with the child's output on failure.
 */
export function runBuildSite(opts: Record<string, unknown>, env: Record<string, string> = {}): Promise<SiteBuildSummary> {
  return withLock(
    () =>
      new Promise((resolvePromise, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(opts)], {
          cwd: resolve('.'),
          env: { ...process.env, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (b: Buffer) => (out += b.toString()));
        child.stderr.on('data', (b: Buffer) => (err += b.toString()));
        child.on('error', reject);
        child.on('exit', (code) => {
          const last = out.trim().split('\n').at(-1) ?? '';
          if (code === 0 && last.startsWith('{')) resolvePromise(JSON.parse(last) as SiteBuildSummary);
          else reject(new Error(`buildSite child exited with ${code}\n${err.slice(-4000)}\n${out.slice(-2000)}`));
        });
      }),
  );
}

/**
 * Remove what buildSite leaves in the checkout's .cache/ for a (temporary) output folder: the
 * per-output index and change-log files it hands to Astro, and Astro's intermediate folder.
 */
export function cleanupBuildFiles(outDir: string): void {
  const h = createHash('sha1').update(resolve(outDir)).digest('hex').slice(0, 12);
  for (const name of [`site-index-${h}.json`, `site-changes-${h}.json`, `astro-out-${h}`]) rmSync(resolve('.cache', name), { recursive: true, force: true });
}

/** Every file under `dir`, as `/`-separated paths relative to it, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

/** sha256 of every file under `dir`, keyed by relative path. */
export function hashTree(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
}

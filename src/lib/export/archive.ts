import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tar from 'tar';

/** One file or folder of the archive: where it is read from and the name it gets inside. */
export interface ArchiveEntry {
  /** Path inside the archive, `/`-separated; folders end with `/`. */
  name: string;
  /** Absolute path on disk. */
  absolute: string;
}

export interface SiteArchiveOptions {
  /** The built site (`dist/`), packed as `site/`. */
  distDir: string;
  /** Extra top-level files: archive name -> path on disk (`serve.mjs`, `README.txt`). */
  files: Record<string, string>;
  /** The `.tar.gz` to write. */
  outFile: string;
  /** Timestamp of every entry; see `archiveMtime`. */
  mtime: Date;
  /** Called once with the number of entries to write, then once per entry written (progress). */
  onPlan?: (total: number) => void;
  onEntry?: (entry: ArchiveEntry) => void;
}

/**
 * The fixed timestamp of archive entries: `SOURCE_DATE_EPOCH` (seconds, the reproducible-builds
 * convention) or the epoch, so the same site always packs to the same bytes.
 */
export function archiveMtime(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env.SOURCE_DATE_EPOCH;
  const secs = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : 0;
  return new Date(secs * 1000);
}

/**
 * Every file and folder under `dir` (symlinks followed), as archive entries under `prefix`,
 * sorted by name (byte order, so a folder comes right before its content and the order does not
 * depend on the file system or the locale).
 */
export function listTree(dir: string, prefix: string): ArchiveEntry[] {
  const root = resolve(dir);
  const out: ArchiveEntry[] = [{ name: `${prefix}/`, absolute: root }];
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs)) {
      const childAbs = join(abs, name);
      const childRel = `${rel}/${name}`;
      const st = statSync(childAbs);
      if (st.isDirectory()) {
        out.push({ name: `${childRel}/`, absolute: childAbs });
        walk(childAbs, childRel);
      } else if (st.isFile()) {
        out.push({ name: childRel, absolute: childAbs });
      }
    }
  };
  walk(root, prefix);
  return out;
}

/** Byte-order comparison of archive names (not localeCompare: that depends on the machine). */
export function compareNames(a: ArchiveEntry, b: ArchiveEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Write a deterministic gzipped tar: sorted entries, one fixed mtime, no uid/gid/user names,
 * modes normalized to 0644/0755, so two exports of the same site are byte-identical.
 * Returns the entries written.
 */
export async function createSiteArchive(opts: SiteArchiveOptions): Promise<ArchiveEntry[]> {
  const entries = [
    ...listTree(opts.distDir, 'site'),
    ...Object.entries(opts.files).map(([name, path]) => ({ name, absolute: resolve(path) })),
  ].sort(compareNames);
  const byAbsolute = new Map(entries.map((e) => [e.absolute, e]));
  opts.onPlan?.(entries.length);
  await tar.create(
    {
      file: opts.outFile,
      gzip: true,
      portable: true,
      follow: true,
      noDirRecurse: true,
      mtime: opts.mtime,
      cwd: '/',
      // Absolute paths are renamed below; silence node-tar's "stripping /" notice about them.
      onwarn: (code: string, message: string) => {
        if (code !== 'TAR_ENTRY_INFO') throw new Error(`tar: ${message}`);
      },
      onWriteEntry: (w) => {
        const entry = byAbsolute.get(w.absolute);
        if (!entry || !w.stat) throw new Error(`tar: unexpected entry ${w.absolute}`);
        w.path = entry.name;
        const isDir = w.stat.isDirectory();
        const exec = isDir || (w.stat.mode & 0o111) !== 0;
        w.stat.mode = (w.stat.mode & ~0o7777) | (exec ? 0o755 : 0o644);
        opts.onEntry?.(entry);
      },
    },
    entries.map((e) => e.absolute),
  );
  return entries;
}

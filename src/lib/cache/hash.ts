import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fg from 'fast-glob';

/** Raw 32-byte sha256 of a rule file's text: the content address of a cached parse. */
export function sha256Raw(text: string | Uint8Array): Buffer {
  return createHash('sha256').update(text).digest();
}

export function sha256Hex(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const [i, p] of parts.entries()) {
    if (i > 0) h.update('\0');
    h.update(p);
  }
  return h.digest('hex');
}

/**
 * Hash of our catalog as the adapters see it: every YAML/JSON file under catalog/, by relative path
 * and content. The sources files and the lock are left out: re-pinning a commit must not drop parses.
 */
export function hashCatalogDir(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        walk(p);
        continue;
      }
      const rel = relative(dir, p).split(sep).join('/');
      if (!/\.(ya?ml|json)$/.test(name) || isSourcesFile(rel)) continue;
      h.update(rel + '\0');
      h.update(readFileSync(p));
      h.update('\0');
    }
  };
  walk(dir);
  return h.digest('hex');
}

function isSourcesFile(rel: string): boolean {
  return !rel.includes('/') && (/^sources.*\.ya?ml$/.test(rel) || rel.endsWith('.lock.json'));
}

/** Hash of the files matching `globs` under `dir` (path + content), for adapter side inputs. */
export function hashGlobs(dir: string, globs: readonly string[]): string {
  const h = createHash('sha256');
  if (globs.length === 0) return h.digest('hex');
  let files: string[] = [];
  try {
    files = fg.sync([...globs], { cwd: dir, onlyFiles: true, dot: false }).sort();
  } catch {
    files = [];
  }
  for (const rel of files) {
    h.update(rel + '\0');
    try {
      h.update(readFileSync(join(dir, rel)));
    } catch {
      h.update('unreadable');
    }
    h.update('\0');
  }
  return h.digest('hex');
}

/**
 * A hash of a value's structure and content (primitives, arrays, plain and class objects by own
 * enumerable keys, Maps, Sets, Dates), independent of how V8 happens to store it: `v8.serialize`
 * bytes differ between a string built by the YAML parser and the same string restored from a
 * cache, which would make keys flap. Objects in `skip` (our catalog, hashed from its files) are
 * not walked. Null when the value holds a function or a symbol: it cannot be hashed faithfully.
 */
export function structuralHash(value: unknown, skip: ReadonlySet<object> = new Set()): string | null {
  const h = createHash('sha256');
  const seen = new Map<object, number>();
  const walk = (v: unknown): boolean => {
    switch (typeof v) {
      case 'string':
        h.update('s' + JSON.stringify(v));
        return true;
      case 'number':
        h.update('n' + (Object.is(v, -0) ? '-0' : String(v)) + ';');
        return true;
      case 'boolean':
        h.update(v ? 't' : 'f');
        return true;
      case 'undefined':
        h.update('u');
        return true;
      case 'bigint':
        h.update('i' + v.toString() + ';');
        return true;
      case 'object': {
        if (v === null) return h.update('z'), true;
        if (skip.has(v)) return h.update('k'), true;
        const ref = seen.get(v);
        if (ref !== undefined) return h.update('r' + ref + ';'), true;
        seen.set(v, seen.size);
        if (Array.isArray(v)) {
          h.update('a' + v.length + ';');
          for (let i = 0; i < v.length; i++) if (!walk(v[i])) return false;
          return true;
        }
        if (v instanceof Map) {
          h.update('m' + v.size + ';');
          for (const [k, x] of v) if (!walk(k) || !walk(x)) return false;
          return true;
        }
        if (v instanceof Set) {
          h.update('e' + v.size + ';');
          for (const x of v) if (!walk(x)) return false;
          return true;
        }
        if (v instanceof Date) return h.update('d' + v.getTime() + ';'), true;
        if (v instanceof RegExp) return h.update('x' + JSON.stringify(String(v))), true;
        if (ArrayBuffer.isView(v)) return h.update('v' + v.byteLength + ';'), h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)), true;
        const keys = Object.keys(v);
        h.update('o' + keys.length + ';');
        for (const k of keys) {
          h.update(JSON.stringify(k));
          if (!walk((v as Record<string, unknown>)[k])) return false;
        }
        return true;
      }
      default:
        return false; // function, symbol
    }
  };
  return walk(value) ? h.digest('hex') : null;
}

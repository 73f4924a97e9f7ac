import { readFileSync } from 'node:fs';
import { writeAtomic } from './write-atomic.js';

/**
 * One source's cached parses in one file, read with a single `readFileSync` and written with a
 * single write (to a temp file, then renamed, so an interrupted build never leaves half a file).
 *
 * Layout: magic `ACIX` + u32 version | u32 keyLen + key | u32 count |
 * count × (u32 pathLen + path | 32-byte sha256 of the text | u32 bodyLen + body).
 * Bodies stay opaque Buffers here: the caller decodes only the entries it uses, and an unchanged
 * entry is written back as the same bytes without being decoded and re-encoded.
 */
export interface StoredEntry {
  /** sha256 of the file text the body was computed from. */
  hash: Buffer;
  body: Buffer;
}

const MAGIC = 0x58494341; // 'ACIX' little-endian
const LAYOUT = 1;

/** Read an entry file; null when missing, truncated, of another layout or written for another key. */
export function readEntryFile(file: string, key: string): Map<string, StoredEntry> | null {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return null;
  }
  try {
    let o = 0;
    const u32 = (): number => {
      if (o + 4 > buf.length) throw new Error('truncated');
      const v = buf.readUInt32LE(o);
      o += 4;
      return v;
    };
    const bytes = (n: number): Buffer => {
      if (o + n > buf.length) throw new Error('truncated');
      const b = buf.subarray(o, o + n);
      o += n;
      return b;
    };
    if (u32() !== MAGIC || u32() !== LAYOUT) return null;
    if (bytes(u32()).toString('utf8') !== key) return null;
    const count = u32();
    const out = new Map<string, StoredEntry>();
    for (let i = 0; i < count; i++) {
      const path = bytes(u32()).toString('utf8');
      const hash = bytes(32);
      const body = bytes(u32());
      out.set(path, { hash, body });
    }
    return o === buf.length ? out : null;
  } catch {
    return null;
  }
}

/** Write entries sorted by path (so equal caches are equal files); returns the bytes written. */
export function writeEntryFile(file: string, key: string, entries: ReadonlyMap<string, StoredEntry>): number {
  const paths = [...entries.keys()].sort();
  const keyBuf = Buffer.from(key, 'utf8');
  const parts: Buffer[] = [];
  const head = Buffer.alloc(12 + keyBuf.length);
  head.writeUInt32LE(MAGIC, 0);
  head.writeUInt32LE(LAYOUT, 4);
  head.writeUInt32LE(keyBuf.length, 8);
  keyBuf.copy(head, 12);
  parts.push(head, u32Buf(paths.length));
  for (const p of paths) {
    const e = entries.get(p)!;
    const pb = Buffer.from(p, 'utf8');
    parts.push(u32Buf(pb.length), pb, e.hash, u32Buf(e.body.length), e.body);
  }
  const data = Buffer.concat(parts);
  writeAtomic(file, data);
  return data.length;
}

function u32Buf(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

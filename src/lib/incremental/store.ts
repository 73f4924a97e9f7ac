import { appendFileSync, closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a body lives in the store: byte offset and length. */
export type BodyRef = [offset: number, length: number];

/**
 * Append-only storage of encoded records (rule and aggregate bodies) for the incremental index.
 * A warm run appends only the bodies it made; the state file (written after, atomically) says how
 * many bytes are committed, so bytes a crashed run appended past that are cut on the next append.
 * When less than half of the file is still referenced, `compact` copies the live bodies into a
 * new generation. Reading loads the whole file once, on the first body a caller decodes.
 * Runs sharing a cache folder take turns through its lock (see lock.ts).
 */
export class BodyStore {
  private buf: Buffer | null = null;
  /**
   * Kept open from the first read until the committed bytes are in memory: another build that
   * later compacts the store and deletes this file cannot take the bytes from under this run.
   */
  private fd: number | null = null;
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    readonly dir: string,
    /** File name of this generation inside `dir`. */
    readonly name: string,
    /** Committed bytes (what the state file refers to). */
    private committed: number,
  ) {}

  static fresh(dir: string): BodyStore {
    return new BodyStore(dir, `bodies-${process.pid}-${Date.now().toString(36)}.bin`, 0);
  }

  get path(): string {
    return join(this.dir, this.name);
  }

  /** Committed plus appended-but-unsaved bytes. */
  get size(): number {
    return this.committed + this.pendingBytes;
  }

  read(ref: BodyRef): Buffer {
    const [off, len] = ref;
    if (off >= this.committed) {
      // Appended this run, not saved yet.
      let o = this.committed;
      for (const b of this.pending) {
        if (off === o && len === b.length) return b;
        o += b.length;
      }
      throw new Error(`body ${off}+${len} is not in the store`);
    }
    if (!this.buf) this.load();
    if (!this.buf || off + len > this.buf.length) throw new Error(`body ${off}+${len} is past the end of ${this.name}`);
    return this.buf.subarray(off, off + len);
  }

  /** One body read where it is (no whole-file load): for the state's segments, read once per run. */
  readDirect(ref: BodyRef): Buffer {
    const [off, len] = ref;
    if (this.buf || off >= this.committed) return this.read(ref);
    if (off + len > this.committed) throw new Error(`body ${off}+${len} is past the committed end of ${this.name}`);
    return this.readAt(off, len);
  }

  private readAt(off: number, len: number): Buffer {
    this.fd ??= openSync(this.path, 'r');
    const out = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readSync(this.fd, out, got, len - got, off + got);
      if (n === 0) throw new Error(`${this.name} ends before ${off + len}`);
      got += n;
    }
    return out;
  }

  append(body: Buffer): BodyRef {
    const ref: BodyRef = [this.size, body.length];
    this.pending.push(body);
    this.pendingBytes += body.length;
    return ref;
  }

  /** Write appended bodies after the committed bytes; returns the bytes written. */
  flush(): number {
    if (this.pendingBytes === 0 && existsSync(this.path)) return 0;
    mkdirSync(this.dir, { recursive: true });
    if (this.committed === 0) {
      writeFileSync(this.path, Buffer.concat(this.pending));
    } else {
      // Cut what a crashed run may have appended past the committed size, then append.
      const fd = openSync(this.path, 'r+');
      try {
        if (fstatSync(fd).size !== this.committed) ftruncateSync(fd, this.committed);
      } finally {
        closeSync(fd);
      }
      appendFileSync(this.path, Buffer.concat(this.pending));
    }
    const written = this.pendingBytes;
    if (this.buf) this.buf = Buffer.concat([this.buf.subarray(0, this.committed), ...this.pending]);
    this.committed += this.pendingBytes;
    this.pending.length = 0;
    this.pendingBytes = 0;
    return written;
  }

  /**
   * A new generation holding only `refs` (in order), written now; returns it and the new refs.
   * This store keeps its bytes in memory, so records of this run that still point into it decode.
   */
  compact(refs: readonly BodyRef[]): { store: BodyStore; refs: BodyRef[] } {
    const next = BodyStore.fresh(this.dir);
    const out = refs.map((r) => next.append(Buffer.from(this.read(r))));
    next.flush();
    return { store: next, refs: out };
  }

  /** Delete other generations in `dir` (after the state that points here is saved). */
  removeOthers(): void {
    for (const f of safeList(this.dir)) if (/^bodies-.*\.bin$/.test(f) && f !== this.name) rmSync(join(this.dir, f), { force: true });
  }

  /** Keep the committed bytes in memory (before another generation replaces the file, or to decode). */
  load(): void {
    if (this.buf || this.committed === 0) return;
    this.buf = this.readAt(0, this.committed);
    closeSync(this.fd!);
    this.fd = null;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

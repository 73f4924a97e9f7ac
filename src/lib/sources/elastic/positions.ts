import { shiftDiagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { LineIndex } from '../../query/eql/line-index.js';
import { readSimpleString, scanTomlPositions, type TomlPositions } from './toml-positions.js';

/**
 * File positions a rule needs, looked up once per file: where the query text starts (diagnostics
 * of the query parsers are shifted there), where each technique ID and table header is written.
 */
export class RuleFilePositions {
  readonly lines: LineIndex;
  readonly scan: TomlPositions;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
    this.scan = scanTomlPositions(text);
  }

  /** Line/column where the decoded string of `table.key` starts; multi-line strings start on the next line. */
  valueStart(table: string, key: string): { line: number; column: number } | null {
    const k = this.scan.keys.find((e) => e.table === table && e.key === key);
    if (!k) return null;
    const t = this.text;
    let off = k.valueOffset;
    if (t.startsWith("'''", off) || t.startsWith('"""', off)) {
      off += 3;
      if (t[off] === '\n') off += 1;
      else if (t[off] === '\r' && t[off + 1] === '\n') off += 2;
    } else if (t[off] === "'" || t[off] === '"') off += 1;
    return this.lines.position(off);
  }

  /**
   * File offset of each UTF-16 unit of the decoded string `table.key` (escapes, line-ending
   * backslashes and CRLF undone), or null when the written value cannot be aligned with `decoded`.
   */
  valueOffsets(table: string, key: string, decoded: string): number[] | null {
    const k = this.scan.keys.find((e) => e.table === table && e.key === key);
    return k ? alignTomlString(this.text, k.valueOffset, decoded) : null;
  }

  /**
   * Move a diagnostic of a parser (positions in the decoded string `table.key`) onto the file.
   * Exact when the value can be aligned character by character (any of the four TOML string
   * forms); otherwise shifted from `base` and kept inside the file.
   */
  placeInValue(d: Diagnostic, table: string, key: string, decoded: string, base: { line: number; column: number }, file: string): Diagnostic {
    const offsets = (this.offsetsCache ??= new Map()).get(`${table}\0${key}`) ?? this.valueOffsets(table, key, decoded);
    this.offsetsCache.set(`${table}\0${key}`, offsets);
    if (!offsets || offsets.length === 0) {
      const shifted = shiftDiagnostic(d, base, file);
      const last = this.lines.position(this.text.length);
      return shifted.line > last.line ? { ...shifted, line: base.line, column: base.column } : shifted;
    }
    const at = (q: number): number => (q < offsets.length ? offsets[q]! : offsets[offsets.length - 1]! + 1);
    const from = offsetOf(decoded, d.line, d.column);
    const to = Math.max(from, Math.min(decoded.length, from + Math.max(1, d.length ?? 1)) - 1);
    const a = this.lines.position(at(from));
    const b = this.lines.position(at(to));
    return { ...d, file, line: a.line, column: a.column, length: a.line === b.line ? b.column - a.column + 1 : d.length ?? 1 };
  }

  private offsetsCache: Map<string, number[] | null> | undefined;

  /** Position of a key (for problems with its value). */
  keyPosition(table: string, key: string): { line: number; column: number } | null {
    const k = this.scan.keys.find((e) => e.table === table && e.key === key);
    return k ? this.lines.position(k.keyOffset) : null;
  }

  /** Position of the n-th header of a table (`[[rule.filters]]` number n), 0-based. */
  headerPosition(table: string, n = 0): { line: number; column: number } | null {
    const h = this.scan.headers.filter((e) => e.table === table)[n];
    return h ? this.lines.position(h.offset) : null;
  }

  /** Where each technique/sub-technique ID of `[[rule.threat]]` is written (upper-case ID -> position of its text). */
  techniquePositions(): Map<string, { line: number; column: number }> {
    const out = new Map<string, { line: number; column: number }>();
    for (const k of this.scan.keys) {
      if (k.key !== 'id' || (k.table !== 'rule.threat.technique' && k.table !== 'rule.threat.technique.subtechnique')) continue;
      const raw = readSimpleString(this.text, k.valueOffset);
      if (!raw) continue;
      const id = raw.trim().toUpperCase();
      if (!out.has(id)) out.set(id, this.lines.position(k.valueOffset + 1));
    }
    return out;
  }
}

/** Offset in `text` of a 1-based line/column, clamped to the text. */
function offsetOf(text: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return Math.min(text.length, off + Math.max(0, column - 1));
}

const ESCAPES: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\' };

/**
 * Walk a TOML string value written at `start` alongside its decoded text: returns the file offset of
 * every decoded UTF-16 unit, or null as soon as the two disagree (an escape we do not model).
 */
export function alignTomlString(text: string, start: number, decoded: string): number[] | null {
  const q = text[start];
  if (q !== '"' && q !== "'") return null;
  const multi = text.startsWith(q.repeat(3), start);
  const basic = q === '"';
  let i = start + (multi ? 3 : 1);
  if (multi) {
    if (text[i] === '\n') i++;
    else if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
  }
  const out: number[] = [];
  let j = 0;
  while (j < decoded.length) {
    if (i >= text.length) return null;
    const c = text[i]!;
    if (basic && c === '\\') {
      const e = text[i + 1] ?? '';
      if (e === 'u' || e === 'U' || e === 'x') {
        const n = e === 'u' ? 4 : e === 'U' ? 8 : 2;
        const cp = Number.parseInt(text.slice(i + 2, i + 2 + n), 16);
        if (!Number.isFinite(cp)) return null;
        const units = cp > 0xffff ? 2 : 1;
        for (let u = 0; u < units; u++) out.push(i);
        j += units;
        i += 2 + n;
      } else if (multi && (e === ' ' || e === '\t' || e === '\n' || e === '\r')) {
        // line-ending backslash: the newline and the next line's leading whitespace vanish
        i++;
        while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
      } else {
        if (ESCAPES[e] === undefined || decoded[j] !== ESCAPES[e]) return null;
        out.push(i);
        j++;
        i += 2;
      }
    } else if (c === '\r' && text[i + 1] === '\n' && decoded[j] === '\n') {
      out.push(i);
      j++;
      i += 2;
    } else {
      if (decoded[j] !== c) return null;
      out.push(i);
      j++;
      i++;
    }
  }
  return out;
}

import { Positions } from '../../query/spl/text.js';
import { readBlock, readPlain, readQuoted, type ScalarMap } from './yaml-scalar.js';

/**
 * Positions inside a security_content rule file. js-yaml gives values, not positions, so this
 * reads the block-style layout contentctl writes: top-level keys at column 0, nested keys indented.
 */
export class RuleFilePositions {
  private splitLines: string[] | null = null;
  private readonly keyLines = new Map<string, number>();
  readonly positions: Positions;

  constructor(readonly text: string) {
    this.positions = new Positions(text);
  }

  private get lines(): string[] {
    return (this.splitLines ??= this.text.split('\n'));
  }

  /** 1-based line of a top-level `key:`, or 0. */
  keyLine(key: string): number {
    const cached = this.keyLines.get(key);
    if (cached !== undefined) return cached;
    const prefix = `${key}:`;
    const idx = this.text.startsWith(prefix) ? 0 : this.text.indexOf(`\n${prefix}`);
    const line = idx < 0 ? 0 : idx === 0 ? 1 : this.positions.span(idx + 1, idx + 2).line;
    this.keyLines.set(key, line);
    return line;
  }

  /** 1-based line of `child:` nested under the top-level `parent:`, or 0. */
  nestedKeyLine(parent: string, child: string): number {
    const start = this.keyLine(parent);
    if (!start) return 0;
    for (let i = start; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      if (line.length > 0 && line[0] !== ' ' && line[0] !== '-' && line[0] !== '#') return 0;
      if (line.trimStart().startsWith(`${child}:`)) return i + 1;
    }
    return 0;
  }

  /** Position of `value` written on or after `fromLine` (1-based), within `span` lines; null if not found. */
  valueAt(value: string, fromLine: number, span = 200): { line: number; column: number } | null {
    const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_.]/.test(c);
    for (let i = Math.max(0, fromLine - 1); i < Math.min(this.lines.length, fromLine - 1 + span); i++) {
      const line = this.lines[i]!;
      for (let col = line.indexOf(value); col >= 0; col = line.indexOf(value, col + 1)) {
        // a whole token: `T1003` must not match inside `T1003.001`
        if (!isWordChar(line[col - 1]) && !isWordChar(line[col + value.length])) return { line: i + 1, column: col + 1 };
      }
    }
    return null;
  }

  /**
   * Where a top-level scalar's content starts: after the opening quote, or on the first content
   * line of a block scalar or of a value written on the next line. Null when the key is absent.
   */
  valueStart(key: string): { line: number; column: number } | null {
    const start = this.contentOffset(key);
    if (start === null) return null;
    const t = this.text;
    let pos = start;
    if (t[pos] === '|' || t[pos] === '>') {
      pos = t.indexOf('\n', pos) + 1;
      while (pos > 0 && pos < t.length && (t[pos] === ' ' || t[pos] === '\n' || t[pos] === '\r')) pos++;
      if (pos <= 0) return null;
    } else if (t[pos] === "'" || t[pos] === '"') pos++;
    const s = this.positions.span(pos, pos + 1);
    return { line: s.line, column: s.column };
  }

  /** Offset of the first character of a top-level key's value (its indicator or quote). */
  private contentOffset(key: string): number | null {
    const line = this.keyLine(key);
    if (!line) return null;
    let pos = this.positions.offset(line, key.length + 2);
    const t = this.text;
    while (t[pos] === ' ' || t[pos] === '\t') pos++;
    if (t[pos] === '\r' || t[pos] === '\n') {
      // the value starts on the next (indented) line
      while (t[pos] === ' ' || t[pos] === '\t' || t[pos] === '\r' || t[pos] === '\n') pos++;
    }
    return pos;
  }

  /**
   * Map every character of a top-level scalar's value to its offset in the file, undoing YAML's
   * quoting and line folding; null when the reconstruction does not give `expected` (then callers
   * fall back to shifting from the key's line).
   */
  scalarOffsets(key: string, expected: string): number[] | null {
    const start = this.contentOffset(key);
    if (start === null) return null;
    const pos = start;
    const t = this.text;
    const c = t[pos];
    const out: ScalarMap = { chars: [], offsets: [] };
    if (c === "'" || c === '"') readQuoted(t, pos, c, out);
    else if (c === '|' || c === '>') readBlock(t, pos, c, out);
    else readPlain(t, pos, out);
    if (out.chars.join('') !== expected) return null;
    out.offsets.push(out.offsets.length ? out.offsets[out.offsets.length - 1]! + 1 : pos);
    return out.offsets;
  }
}

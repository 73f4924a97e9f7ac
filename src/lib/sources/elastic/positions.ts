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

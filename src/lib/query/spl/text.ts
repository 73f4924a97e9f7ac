import type { Span } from '../../diagnostics/diagnostic.js';

/**
 * Text helpers shared by the SPL tokenizer, the macro expander and the pipeline splitter: offsets to
 * positions, quoted-string skipping, pipeline splitting at top-level pipes.
 */

/** Line-start table for offset -> 1-based line/column in O(log n). */
export class Positions {
  private lineStarts: number[] | null = null;
  constructor(readonly text: string) {}
  /** Computed on first use: most texts never need a position. */
  private get starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const t = this.text;
    let i = t.indexOf('\n');
    while (i >= 0) {
      starts.push(i + 1);
      i = t.indexOf('\n', i + 1);
    }
    return (this.lineStarts = starts);
  }
  /** Span of [start, end) in the text. */
  span(start: number, end: number): Span {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= start) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: start - this.starts[lo]! + 1, length: Math.max(1, end - start) };
  }
  /** Offset of a 1-based line/column (clamped to the text). */
  offset(line: number, column: number): number {
    const ls = this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1]!;
    return Math.min(this.text.length, ls + Math.max(column, 1) - 1);
  }
}

/** Unquoted search words: `\\` is one backslash, `\"` a quote; other backslashes stay. */
export function unescapeWord(text: string): string {
  if (text.indexOf('\\') < 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && (text[i + 1] === '\\' || text[i + 1] === '"')) {
      out += text[i + 1];
      i++;
    } else out += c;
  }
  return out;
}

/** Offset after a double-quoted string starting at `i` (backslash escapes honoured). */
export function skipQuoted(text: string, i: number, end: number): number {
  let j = i + 1;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c === 92 /* \\ */) {
      j += 2;
      continue;
    }
    if (c === 34 /* " */) return j + 1;
    j++;
  }
  return end;
}

/**
 * Split a pipeline into command segments at top-level `|`, honouring strings, ```comments```,
 * backtick macros and `[subsearch]` nesting. Returns [start, end) offsets.
 */
export function splitPipeline(text: string, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let depth = 0;
  let segStart = start;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \\ */) {
      i += 2;
      continue;
    }
    if (c === 34 /* " */) {
      i = skipQuoted(text, i, end);
      continue;
    }
    if (c === 96 /* ` */) {
      if (text.startsWith('```', i)) {
        const close = text.indexOf('```', i + 3);
        i = close < 0 || close + 3 > end ? end : close + 3;
        continue;
      }
      const close = text.indexOf('`', i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (close > 0 && close < end && (nl < 0 || close < nl)) {
        i = close + 1;
        continue;
      }
    } else if (c === 91 /* [ */) depth++;
    else if (c === 93 /* ] */) depth = Math.max(0, depth - 1);
    else if (c === 124 /* | */ && depth === 0) {
      out.push([segStart, i]);
      segStart = i + 1;
    }
    i++;
  }
  out.push([segStart, end]);
  return out;
}

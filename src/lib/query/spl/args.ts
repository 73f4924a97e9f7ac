import type { ParseContext } from './context.js';
import type { Cursor, Token } from './tokens.js';

/** One command argument: adjacent strings/words joined (`"All_Changes".*`), quotes removed. */
export interface Arg {
  text: string;
  value: string;
  start: number;
  end: number;
  /** The argument was (or started with) a quoted string. */
  quoted: boolean;
}

/**
 * Read the next argument of a command in search mode. Returns null at the end, at a `(`, `)`,
 * `[`, `]` or `,` (which the caller inspects with `peek`), or at an operator.
 */
export function readArg(ctx: ParseContext, cur: Cursor): Arg | null {
  const first = cur.peek('search');
  if (first.kind !== 'word' && first.kind !== 'string' && first.kind !== 'macro') return null;
  cur.nextSearch();
  ctx.checkString(first);
  let value = first.value;
  let end = first.end;
  for (;;) {
    const next = cur.peek('search');
    if (next.spaced || (next.kind !== 'word' && next.kind !== 'string')) break;
    cur.nextSearch();
    ctx.checkString(next);
    value += next.value;
    end = next.end;
  }
  return { text: ctx.text.slice(first.start, end), value, start: first.start, end, quoted: first.kind === 'string' };
}

/** True when the token is the word `kw`, case-insensitively (`by`, `BY`, `as`, `OUTPUT`). */
export function isWord(tok: Token, kw: string): boolean {
  return tok.kind === 'word' && tok.text.length === kw.length && tok.text.toLowerCase() === kw;
}

/** Skip a balanced `( … )` group starting at the current `(`; returns its text including parens. */
export function readParenGroup(cur: Cursor): { text: string; inner: string; start: number; end: number } {
  const open = cur.nextSearch();
  let depth = 1;
  const start = open.start;
  for (;;) {
    const t = cur.nextSearch();
    if (t.kind === 'eof') break;
    if (t.kind === 'lparen') depth++;
    else if (t.kind === 'rparen' && --depth === 0) {
      const text = cur.text.slice(start, t.end);
      return { text, inner: text.slice(1, -1), start, end: t.end };
    }
  }
  const text = cur.text.slice(start, cur.pos);
  return { text, inner: text.slice(1), start, end: cur.pos };
}

/**
 * Read `key=value` if the next tokens are a word and `=`; otherwise leave the cursor unchanged.
 */
export function readOption(cur: Cursor): { key: string; value: string; quoted: boolean; start: number; end: number } | null {
  const save = cur.pos;
  const k = cur.nextSearch();
  if (k.kind === 'word') {
    const op = cur.peek('search');
    if (op.kind === 'op' && (op.text === '=' || op.text === '==') ) {
      cur.nextSearch();
      const v = cur.readSearchValue();
      return { key: k.text.toLowerCase(), value: v.value, quoted: v.kind === 'string', start: k.start, end: v.end };
    }
  }
  cur.pos = save;
  return null;
}

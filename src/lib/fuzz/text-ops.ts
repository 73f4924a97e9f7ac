import type { Rng } from './prng.js';

/**
 * Mutations on a rule file's text, whatever its format: syntax damage (lines deleted, duplicated,
 * swapped, re-indented; stray quotes and brackets; truncation) and encoding damage (BOM, CRLF,
 * NUL bytes, invalid UTF-8, binary garbage). What a broken checkout or a careless editor produces.
 */
export interface TextOp {
  name: string;
  apply(text: string, rng: Rng): string;
}

const lines = (t: string): string[] => t.split('\n');

function randomLine(rng: Rng, ls: string[]): number {
  return rng.int(0, Math.max(0, ls.length - 1));
}

function insertAt(text: string, rng: Rng, piece: string): string {
  const i = rng.int(0, text.length);
  return text.slice(0, i) + piece + text.slice(i);
}

/** Bytes decoded the way `readFileSync(file, 'utf8')` decodes them (invalid sequences become U+FFFD). */
function decodeBytes(bytes: number[]): string {
  return Buffer.from(bytes).toString('utf8');
}

function randomBytes(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.int(0, 255));
}

export const TEXT_OPS: readonly TextOp[] = [
  {
    name: 'delete-line',
    apply(t, rng) {
      const ls = lines(t);
      ls.splice(randomLine(rng, ls), 1);
      return ls.join('\n');
    },
  },
  {
    name: 'delete-lines',
    apply(t, rng) {
      const ls = lines(t);
      const i = randomLine(rng, ls);
      ls.splice(i, rng.int(2, 8));
      return ls.join('\n');
    },
  },
  {
    name: 'duplicate-line',
    apply(t, rng) {
      const ls = lines(t);
      const i = randomLine(rng, ls);
      ls.splice(i, 0, ls[i] ?? '');
      return ls.join('\n');
    },
  },
  {
    name: 'swap-lines',
    apply(t, rng) {
      const ls = lines(t);
      const i = randomLine(rng, ls);
      const j = randomLine(rng, ls);
      [ls[i], ls[j]] = [ls[j]!, ls[i]!];
      return ls.join('\n');
    },
  },
  {
    name: 'break-indent',
    apply(t, rng) {
      const ls = lines(t);
      const i = randomLine(rng, ls);
      const l = ls[i] ?? '';
      const how = rng.int(0, 3);
      ls[i] = how === 0 ? l.trimStart() : how === 1 ? ' '.repeat(rng.int(1, 7)) + l : how === 2 ? '\t' + l : l.replace(/^ +/, (s) => s.slice(1));
      return ls.join('\n');
    },
  },
  {
    name: 'unbalanced-quote',
    apply: (t, rng) => insertAt(t, rng, rng.pick(['"', "'", '"""', "'''", '`', '```'])),
  },
  {
    name: 'unbalanced-bracket',
    apply: (t, rng) => insertAt(t, rng, rng.pick(['[', ']', '{', '}', '(', ')', '[[', ']]', '{{', '}}'])),
  },
  {
    name: 'stray-syntax',
    apply: (t, rng) => insertAt(t, rng, rng.pick([': ', ' - ', '#', '&x ', '*x', '!!binary ', '? ', '|', '>', '=', ' = ', '\\', '%YAML 1.1\n', '---\n', '...\n', '[rule]\n', '[[rule.threat]]\n'])),
  },
  {
    name: 'truncate',
    apply: (t, rng) => t.slice(0, rng.int(0, t.length)),
  },
  { name: 'empty-file', apply: () => '' },
  { name: 'whitespace-file', apply: (_t, rng) => rng.pick([' ', '\n', '\n\n\n', '\t', '\r\n', '   \n  ']) },
  { name: 'utf8-bom', apply: (t) => '\ufeff' + t },
  { name: 'crlf', apply: (t) => t.replace(/\r?\n/g, '\r\n') },
  { name: 'cr-only', apply: (t) => t.replace(/\r?\n/g, '\r') },
  {
    name: 'nul-bytes',
    apply(t, rng) {
      let out = t;
      for (let k = rng.int(1, 5); k > 0; k--) out = insertAt(out, rng, '\0');
      return out;
    },
  },
  {
    name: 'invalid-utf8',
    apply: (t, rng) => insertAt(t, rng, decodeBytes(rng.pick([[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]))),
  },
  {
    name: 'lone-surrogate',
    apply: (t, rng) => insertAt(t, rng, rng.pick(['\ud800', '\udfff', '\ud83d'])),
  },
  {
    name: 'binary-garbage',
    apply: (t, rng) => insertAt(t, rng, decodeBytes(randomBytes(rng, rng.int(1, 64)))),
  },
  {
    name: 'binary-file',
    apply: (_t, rng) => decodeBytes(randomBytes(rng, rng.int(1, 4096))),
  },
  {
    name: 'control-chars',
    apply: (t, rng) => insertAt(t, rng, rng.pick(['\u0007', '\u001b[31m', '\u000b', '\u000c', '\u0085', '\u2028', '\u2029', '\u202e', '\u200b', '\ufffe', '\uffff'])),
  },
  {
    name: 'long-line',
    apply: (t, rng) => insertAt(t, rng, 'x'.repeat(100_000)),
  },
  {
    name: 'many-lines',
    apply: (t, rng) => insertAt(t, rng, '\n'.repeat(rng.pick([1000, 20_000]))),
  },
  {
    name: 'duplicate-file',
    apply: (t, rng) => t + rng.pick(['\n', '\n---\n']) + t,
  },
];

/** Look an operator up by name (to replay a reported mutant). */
export function textOp(name: string): TextOp | undefined {
  return TEXT_OPS.find((o) => o.name === name);
}

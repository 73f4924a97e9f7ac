import type { Rng } from './prng.js';

/**
 * Mutations of a query string (KQL, EQL, ES|QL, Lucene, SPL, a Sigma condition or field key):
 * unterminated strings and brackets, 10,000-deep nesting, long chains, keywords in odd places,
 * control characters. Parsers must answer each with diagnostics, in linear time, without throwing.
 */
export interface QueryOp {
  name: string;
  apply(query: string, rng: Rng): string;
}

function insertAt(text: string, rng: Rng, piece: string): string {
  const i = rng.int(0, text.length);
  return text.slice(0, i) + piece + text.slice(i);
}

/** Operators that apply to every query language (the language's own keywords come from the format). */
export function genericQueryOps(keywords: readonly string[]): QueryOp[] {
  return [
    { name: 'q-unterminated-string', apply: (q, rng) => insertAt(q, rng, rng.pick(['"', "'", '`', '"""', '/'])) },
    { name: 'q-string-at-end', apply: (q, rng) => q + rng.pick([' "', " '", ' "abc', ' "\\', ' `']) },
    { name: 'q-unbalanced-bracket', apply: (q, rng) => insertAt(q, rng, rng.pick(['(', ')', '[', ']', '{', '}', '((', '))'])) },
    { name: 'q-deep-parens', apply: (q) => '('.repeat(10_000) + q + ')'.repeat(10_000) },
    { name: 'q-open-parens', apply: (q, rng) => insertAt(q, rng, '('.repeat(10_000)) },
    { name: 'q-close-parens', apply: (q, rng) => insertAt(q, rng, ')'.repeat(10_000)) },
    { name: 'q-deep-not', apply: (q, rng) => rng.pick(['not ', 'NOT ', '!']).repeat(5_000) + q },
    { name: 'q-deep-brackets', apply: (q) => '['.repeat(10_000) + q + ']'.repeat(10_000) },
    { name: 'q-truncate', apply: (q, rng) => q.slice(0, rng.int(0, q.length)) },
    { name: 'q-empty', apply: (_q, rng) => rng.pick(['', ' ', '\n', '()', '""']) },
    { name: 'q-keyword', apply: (q, rng) => insertAt(q, rng, ` ${rng.pick(keywords)} `) },
    { name: 'q-keywords', apply: (q, rng) => Array.from({ length: rng.int(2, 6) }, () => rng.pick(keywords)).join(' ') },
    { name: 'q-wide-chain', apply: (q, rng) => q + ` ${rng.pick(keywords)} (${q})`.repeat(rng.pick([50, 300])) },
    { name: 'q-duplicate-slice', apply: (q, rng) => { const a = rng.int(0, q.length); const b = rng.int(a, q.length); return q.slice(0, b) + q.slice(a, b) + q.slice(b); } },
    { name: 'q-delete-slice', apply: (q, rng) => { const a = rng.int(0, q.length); const b = rng.int(a, Math.min(q.length, a + 20)); return q.slice(0, a) + q.slice(b); } },
    { name: 'q-control-chars', apply: (q, rng) => insertAt(q, rng, rng.pick(['\0', '\u202e', '\u200b', '\ud800', '\u{1f600}', '\r', '\t', '\u2028', '\ufeff', '\u0085'])) },
    { name: 'q-backslash', apply: (q, rng) => (rng.chance(0.5) ? q + '\\' : insertAt(q, rng, rng.pick(['\\', '\\\\', '\\"', "\\'", '\\u', '\\x', '\\u{', '\\uZZZZ'])) ) },
    { name: 'q-long-token', apply: (q, rng) => insertAt(q, rng, ` ${rng.pick(['a', '*', '9', '"'])}${'a'.repeat(100_000)} `) },
    { name: 'q-numbers', apply: (q, rng) => insertAt(q, rng, rng.pick(['1e99999', '-0', '0x', '9'.repeat(400), '1.2.3', 'NaN', '-Infinity', '1_000'])) },
    { name: 'q-wildcards', apply: (q, rng) => insertAt(q, rng, rng.pick(['*', '?', '**', '*?*', '[*]', '\\*', '*'.repeat(5000)])) },
  ];
}

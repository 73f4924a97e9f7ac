import type { Anchor } from './values.js';

/**
 * What a modifier chain (`|base64offset|contains|all`) decides about a field's values, built left
 * to right as the specification applies modifiers "in the given order".
 */
export interface ModifierState {
  anchor: Anchor;
  /** How the value is compared once transformed. */
  type: 'string' | 're' | 'cidr' | 'exists' | 'fieldref' | 'compare';
  compare?: 'gt' | 'gte' | 'lt' | 'lte';
  /** `|all`: the value list is AND-ed instead of OR-ed. */
  all: boolean;
  /** `|cased`: case-sensitive match. */
  cased: boolean;
  /** `|neq`: each value predicate is negated. */
  negate: boolean;
  /** `|re` sub-modifiers, in canonical order when emitted. */
  flags: string;
  /** Encodings and value/field transforms, in order (base64offset, utf16le, windash, expand, hour...). */
  transforms: string[];
}

/** One modifier: a summary for hints and a step that refines the state or says why it cannot. */
export interface Modifier {
  summary: string;
  /** Returns an error message when this modifier cannot follow the chain so far. */
  apply(state: ModifierState, token: string): string | null;
}

/** State of a key without modifiers: exact, case-insensitive string match, values OR-ed. */
export function initialModifierState(): ModifierState {
  return { anchor: 'exact', type: 'string', all: false, cased: false, negate: false, flags: '', transforms: [] };
}

const ENCODINGS = new Set(['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide']);

function needString(s: ModifierState, token: string): string | null {
  return s.type === 'string' ? null : `'|${token}' cannot follow '|${s.type === 'compare' ? s.compare : s.type}'`;
}

function needPlain(s: ModifierState, token: string): string | null {
  const e = needString(s, token);
  if (e) return e;
  if (s.anchor !== 'exact') return `'|${token}' cannot follow '|${s.anchor}'`;
  return null;
}

const anchor = (a: Anchor): Modifier => ({
  summary: a === 'contains' ? 'value anywhere in the field (*x*)' : a === 'startswith' ? 'value at the start (x*)' : 'value at the end (*x)',
  apply(s, token) {
    const e = needString(s, token);
    if (e) return e;
    if (s.anchor !== 'exact') return `'|${token}' cannot be combined with '|${s.anchor}'`;
    s.anchor = a;
    return null;
  },
});

const encoding = (summary: string): Modifier => ({
  summary,
  apply(s, token) {
    const e = needPlain(s, token);
    if (e) return `${e}: encode first, then anchor (e.g. '|${token}|contains')`;
    if (s.transforms.includes(token)) return `'|${token}' is repeated`;
    if ((token === 'base64' || token === 'base64offset') && (s.transforms.includes('base64') || s.transforms.includes('base64offset'))) {
      return `'|${token}' cannot follow another base64 modifier`;
    }
    s.transforms.push(token);
    return null;
  },
});

const typed = (type: 'cidr' | 'exists' | 'fieldref', summary: string): Modifier => ({
  summary,
  apply(s, token) {
    const e = needPlain(s, token);
    if (e) return e;
    if (s.transforms.some((t) => ENCODINGS.has(t) || t === 'windash')) return `'|${token}' cannot follow a value encoding`;
    s.type = type;
    return null;
  },
});

const compare = (op: 'gt' | 'gte' | 'lt' | 'lte'): Modifier => ({
  summary: `field ${op === 'gt' ? '>' : op === 'gte' ? '>=' : op === 'lt' ? '<' : '<='} value (numeric)`,
  apply(s, token) {
    const e = needPlain(s, token);
    if (e) return e;
    s.type = 'compare';
    s.compare = op;
    return null;
  },
});

const reFlag = (flag: 'i' | 'm' | 's'): Modifier => ({
  summary: flag === 'i' ? 'regex: case-insensitive' : flag === 'm' ? 'regex: ^/$ match at line breaks' : 'regex: . matches line breaks',
  apply(s, token) {
    if (s.type !== 're') return `'|${token}' is a sub-modifier of '|re' and must follow it`;
    if (!s.flags.includes(flag)) s.flags = ['i', 'm', 's'].filter((f) => f === flag || s.flags.includes(f)).join('');
    return null;
  },
});

const timePart = (summary: string): Modifier => ({
  summary,
  apply(s, token) {
    const e = needPlain(s, token);
    if (e) return e;
    if (s.transforms.length > 0) return `'|${token}' must come first: it extracts a number from a date field`;
    s.transforms.push(token);
    return null;
  },
});

/**
 * Every modifier of the Sigma specification (v2.1 modifiers appendix) plus pySigma's long names of
 * the regex flags. A token not in this map is reported at its column and the rule is skipped.
 */
export const SIGMA_MODIFIERS: Readonly<Record<string, Modifier>> = {
  contains: anchor('contains'),
  startswith: anchor('startswith'),
  endswith: anchor('endswith'),
  all: {
    summary: 'all values must match (AND)',
    apply(s, token) {
      if (s.all) return `'|${token}' is repeated`;
      s.all = true;
      return null;
    },
  },
  re: {
    summary: 'regular expression (PCRE subset)',
    apply(s, token) {
      const e = needPlain(s, token);
      if (e) return e;
      if (s.transforms.length > 0) return `'|${token}' cannot follow '|${s.transforms[s.transforms.length - 1]}'`;
      s.type = 're';
      return null;
    },
  },
  i: reFlag('i'),
  ignorecase: reFlag('i'),
  m: reFlag('m'),
  multiline: reFlag('m'),
  s: reFlag('s'),
  dotall: reFlag('s'),
  base64: encoding('value base64-encoded'),
  base64offset: encoding('value base64-encoded at any of the three offsets'),
  utf16le: encoding('value UTF-16LE encoded'),
  utf16be: encoding('value UTF-16BE encoded'),
  utf16: encoding('value UTF-16 with byte order mark'),
  wide: encoding('alias of utf16le'),
  windash: {
    summary: "'-' also matches '/', en dash, em dash and horizontal bar",
    apply(s, token) {
      const e = needString(s, token);
      if (e) return e;
      if (s.transforms.includes(token)) return `'|${token}' is repeated`;
      s.transforms.push(token);
      return null;
    },
  },
  cidr: typed('cidr', 'IP address in network'),
  exists: typed('exists', 'field present (true) or absent (false)'),
  fieldref: typed('fieldref', 'compare with another field of the same event'),
  gt: compare('gt'),
  gte: compare('gte'),
  lt: compare('lt'),
  lte: compare('lte'),
  neq: {
    summary: 'field differs from the value',
    apply(s, token) {
      if (s.negate) return `'|${token}' is repeated`;
      s.negate = true;
      return null;
    },
  },
  cased: {
    summary: 'case-sensitive match',
    apply(s) {
      s.cased = true;
      return null;
    },
  },
  expand: {
    summary: 'placeholders %name% are expanded by the processing pipeline',
    apply(s, token) {
      if (s.type !== 'string') return needString(s, token);
      if (!s.transforms.includes(token)) s.transforms.push(token);
      return null;
    },
  },
  minute: timePart('minute (0-59) of a date field'),
  hour: timePart('hour (0-23) of a date field'),
  day: timePart('day of month (1-31) of a date field'),
  week: timePart('week of year (1-52) of a date field'),
  month: timePart('month (1-12) of a date field'),
  year: timePart('year of a date field'),
};

/** Registry lookup that ignores `Object.prototype` names (`constructor`, `toString`). */
export function lookupModifier(token: string): Modifier | undefined {
  return Object.prototype.hasOwnProperty.call(SIGMA_MODIFIERS, token) ? SIGMA_MODIFIERS[token] : undefined;
}

/** Closest known modifier to an unknown token, for the hint (`contain` -> `contains`). */
export function suggestModifier(token: string): string | null {
  const t = token.toLowerCase();
  if (lookupModifier(t)) return t;
  let best: string | null = null;
  let bestD = 3;
  for (const name of Object.keys(SIGMA_MODIFIERS)) {
    if (name.length < 3) continue;
    const d = editDistance(t, name);
    if (d < bestD) {
      bestD = d;
      best = name;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

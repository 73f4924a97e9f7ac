/**
 * Sigma string values: `*` and `?` are wildcards; a backslash escapes `*`, `?` and itself; a
 * backslash before any other character (or at the end) is literal, so `C:\Windows\` reads as
 * written. We turn a value into the project's canonical glob (literal `*`/`?` written `[*]`/`[?]`,
 * backslashes literal) and, when no wildcard remains, into the plain literal for an `eq`.
 */
export interface SigmaPattern {
  /** Canonical glob: wildcards as `*`/`?`, literal ones bracketed. */
  glob: string;
  /** The unescaped text with wildcards dropped to their characters (meaningful when no wildcard). */
  literal: string;
  hasWildcard: boolean;
  /** The glob starts / ends with an unescaped `*` (so `contains` does not double it). */
  leadingStar: boolean;
  trailingStar: boolean;
}

/** Parse one Sigma string in a single pass (pySigma's SigmaString escape rules). */
export function parseSigmaString(s: string): SigmaPattern {
  const n = s.length;
  // Fast path: most values (plain words, Windows paths with single backslashes) need no rewriting.
  let special = false;
  let hasWildcard = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 42 || c === 63) hasWildcard = true;
    else if (c === 92) {
      const d = s.charCodeAt(i + 1);
      if (d === 42 || d === 63 || d === 92) special = true;
    }
  }
  if (!special) {
    return { glob: s, literal: s, hasWildcard, leadingStar: s.charCodeAt(0) === 42, trailingStar: n > 0 && s.charCodeAt(n - 1) === 42 };
  }
  let glob = '';
  let literal = '';
  hasWildcard = false;
  let leadingStar = false;
  let trailingStar = false;
  for (let i = 0; i < n; i++) {
    const c = s[i]!;
    trailingStar = false;
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '*' || next === '?') {
        glob += `[${next}]`;
        literal += next;
        i++;
      } else if (next === '\\') {
        glob += '\\';
        literal += '\\';
        i++;
      } else {
        glob += '\\';
        literal += '\\';
      }
    } else if (c === '*' || c === '?') {
      hasWildcard = true;
      glob += c;
      literal += c;
      if (c === '*') {
        if (i === 0) leadingStar = true;
        trailingStar = true;
      }
    } else {
      glob += c;
      literal += c;
    }
  }
  return { glob, literal, hasWildcard, leadingStar, trailingStar };
}

export type Anchor = 'exact' | 'contains' | 'startswith' | 'endswith';

/**
 * Apply `contains`/`startswith`/`endswith` to a parsed value: the result is a glob (a wildcard
 * predicate) or, for `exact` without wildcards, null (the caller emits `eq` with the literal).
 */
export function anchorGlob(p: SigmaPattern, anchor: Anchor): string | null {
  switch (anchor) {
    case 'exact':
      return p.hasWildcard ? p.glob : null;
    case 'contains':
      if (p.glob.length === 0) return '*';
      return `${p.leadingStar ? '' : '*'}${p.glob}${p.trailingStar ? '' : '*'}`;
    case 'startswith':
      return `${p.glob}${p.trailingStar ? '' : '*'}`;
    case 'endswith':
      return `${p.leadingStar ? '' : '*'}${p.glob}`;
  }
}

/** True when a YAML number was written in a form we should keep as text (`0x17`, `1.0`, `007`). */
export function isNonCanonicalNumber(value: number, source: string): boolean {
  return String(value) !== source;
}

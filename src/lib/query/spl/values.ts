import type { Operator, RawPredicate, Scalar } from '../../model/logic.js';

/** True for a plain decimal number as SPL writes it (`4688`, `-1`, `0.5`); `007` and `0x10` stay strings. */
export function isPlainNumber(s: string): boolean {
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= s.length) return false;
  if (s.charCodeAt(i) === 48 && i + 1 < s.length && s.charCodeAt(i + 1) !== 46) return false;
  let dot = false;
  let digits = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (dot || digits === 0) return false;
      dot = true;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) return false;
    digits++;
  }
  return digits > 0 && s.length <= 15;
}

/** Unquoted integers compare as numbers (`EventCode=4688`); quoted values stay strings. */
export function scalarOf(value: string, quoted: boolean): Scalar {
  return !quoted && isPlainNumber(value) ? Number(value) : value;
}

/**
 * SPL search value (after unescaping) -> canonical glob: `*` stays a wildcard; SPL has no
 * single-character wildcard, so a literal `?` is written `[?]`.
 */
export function splGlob(value: string): string {
  return value.indexOf('?') < 0 ? value : value.split('?').join('[?]');
}

/**
 * `field=value` in the search language. Values are case-insensitive; `*` alone means the field
 * exists; any other `*` makes a wildcard.
 */
export function searchEquality(field: string | null, value: string, quoted: boolean, raw: string): RawPredicate {
  if (field !== null && value === '*') return { field, operator: 'exists', value: true, raw };
  if (field !== null && isCidr(value)) {
    const p: RawPredicate = { field, operator: 'cidr', value };
    if (raw !== value) p.raw = raw;
    return p;
  }
  if (value.indexOf('*') >= 0) {
    const p: RawPredicate = { field, operator: field === null ? 'match' : 'wildcard', value: splGlob(value) };
    if (raw !== p.value) p.raw = raw;
    return p;
  }
  const v = scalarOf(value, quoted);
  const p: RawPredicate = { field, operator: field === null ? 'match' : 'eq', value: v };
  if (raw !== String(v)) p.raw = raw;
  return p;
}

/**
 * `10.0.0.0/8`, `fe80::/10`: Splunk's search matches a field against a CIDR block when the value is
 * written as one.
 */
export function isCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1 || value.length - slash > 4) return false;
  for (let i = slash + 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const addr = value.slice(0, slash);
  if (addr.indexOf(':') >= 0) {
    for (let i = 0; i < addr.length; i++) {
      const c = addr.charCodeAt(i) | 32;
      if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || c === 58 || c === 46)) return false;
    }
    return true;
  }
  const octets = addr.split('.');
  return octets.length === 4 && octets.every((o) => o.length >= 1 && o.length <= 3 && isPlainNumber(o) && Number(o) <= 255);
}

/** `<` `<=` `>` `>=` -> canonical range operator. */
export function rangeOperator(op: string): Operator | null {
  switch (op) {
    case '<': return 'lt';
    case '<=': return 'lte';
    case '>': return 'gt';
    case '>=': return 'gte';
    default: return null;
  }
}

/**
 * SQL-style LIKE pattern (`%` any run, `_` one char) -> canonical glob; literal `*`/`?` become
 * `[*]`/`[?]`. Returns null when the pattern has no wildcard (then it is an equality).
 */
export function likeToGlob(pattern: string): string | null {
  let out = '';
  let wild = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '%') {
      out += '*';
      wild = true;
    } else if (c === '_') {
      out += '?';
      wild = true;
    } else if (c === '*') out += '[*]';
    else if (c === '?') out += '[?]';
    else out += c;
  }
  return wild ? out : null;
}

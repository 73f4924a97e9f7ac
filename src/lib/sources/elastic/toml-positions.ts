/**
 * Where keys sit in a TOML file. smol-toml gives values without positions; diagnostics and the
 * rule page need the line of `query = '''`, of each technique `id`, of a table header. One linear,
 * string-aware pass (multi-line strings, arrays, inline tables and comments are skipped as values),
 * so text inside a query or an investigation guide never looks like a key.
 */
export interface TomlKeyPosition {
  /** Dotted table path without quotes, e.g. `rule`, `rule.threat.technique`. */
  table: string;
  /** Key as written, quotes removed (`query`, `event.category` for a quoted dotted key). */
  key: string;
  /** Offset of the key and of the first character of its value. */
  keyOffset: number;
  valueOffset: number;
}

export interface TomlHeaderPosition {
  table: string;
  offset: number;
}

export interface TomlPositions {
  keys: TomlKeyPosition[];
  headers: TomlHeaderPosition[];
}

/** Strip quotes and spaces from a header or key path: `rule.filters.query.wildcard."file.path"`. */
function normalizePath(raw: string): string {
  if (!/["' \t]/.test(raw)) return raw;
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"' || c === "'") {
      const close = raw.indexOf(c, i + 1);
      const end = close < 0 ? raw.length : close;
      cur += raw.slice(i + 1, end);
      i = end;
    } else if (c === '.') {
      parts.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  parts.push(cur.trim());
  return parts.join('.');
}

const DQ = 34; // "
const SQ = 39; // '
const BS = 92; // \\
const NL = 10;

/** Offset just after a string value that starts at `i` (any of the four TOML string forms). */
export function skipTomlString(text: string, i: number): number {
  const q = text.charCodeAt(i);
  if (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q) {
    const delim = q === DQ ? '"""' : "'''";
    let j = i + 3;
    for (;;) {
      const close = text.indexOf(delim, j);
      if (close < 0) return text.length;
      if (q === DQ && isEscaped(text, close)) {
        j = close + 1;
        continue;
      }
      let end = close + 3;
      while (end < close + 5 && text.charCodeAt(end) === q) end++;
      return end;
    }
  }
  if (q === SQ) {
    const close = text.indexOf("'", i + 1);
    return close < 0 ? text.length : close + 1;
  }
  let j = i + 1;
  const n = text.length;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === BS) j += 2;
    else if (c === DQ) return j + 1;
    else if (c === NL) return j;
    else j++;
  }
  return n;
}

function isEscaped(text: string, at: number): boolean {
  let n = 0;
  for (let k = at - 1; k >= 0 && text.charCodeAt(k) === BS; k--) n++;
  return n % 2 === 1;
}

/** Offset at the end of the value starting at `i` (end of its line once brackets are closed). */
function skipValue(text: string, i: number): number {
  let depth = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === DQ || c === SQ) i = skipTomlString(text, i);
    else if (c === 35 /* # */) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
    } else if (c === 91 || c === 123 /* [ { */) {
      depth++;
      i++;
    } else if (c === 93 || c === 125 /* ] } */) {
      depth--;
      i++;
    } else if (c === NL && depth <= 0) return i;
    else i++;
  }
  return i;
}

/** One pass over the file: every top-level key of every table, and every table header. */
export function scanTomlPositions(text: string): TomlPositions {
  const keys: TomlKeyPosition[] = [];
  const headers: TomlHeaderPosition[] = [];
  let table = '';
  let i = 0;
  const n = text.length;
  const nextLine = (from: number): number => {
    const nl = text.indexOf('\n', from);
    return nl < 0 ? n : nl + 1;
  };
  while (i < n) {
    // at the start of a line
    let c = text.charCodeAt(i);
    while (c === 32 || c === 9 || c === 13) c = text.charCodeAt(++i);
    if (i >= n) break;
    if (c === NL) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      i = nextLine(i);
      continue;
    }
    if (c === 91 /* [ */) {
      let j = i + (text.charCodeAt(i + 1) === 91 ? 2 : 1);
      const start = j;
      for (let d = text.charCodeAt(j); j < n && d !== 93 && d !== NL; d = text.charCodeAt(j)) {
        j = d === DQ || d === SQ ? skipTomlString(text, j) : j + 1;
      }
      table = normalizePath(text.slice(start, j));
      headers.push({ table, offset: i });
      i = nextLine(j);
      continue;
    }
    // key = value
    const keyOffset = i;
    let j = i;
    for (let d = text.charCodeAt(j); j < n && d !== 61 /* = */ && d !== NL; d = text.charCodeAt(j)) {
      j = d === DQ || d === SQ ? skipTomlString(text, j) : j + 1;
    }
    if (text.charCodeAt(j) !== 61) {
      i = j + 1;
      continue;
    }
    const key = normalizePath(text.slice(keyOffset, j).trim());
    j++;
    while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9) j++;
    keys.push({ table, key, keyOffset, valueOffset: j });
    i = skipValue(text, j);
  }
  return { keys, headers };
}

/** The decoded text of a simple one-line string value at `offset` (for ids), or null. */
export function readSimpleString(text: string, offset: number): string | null {
  const q = text[offset];
  if (q !== '"' && q !== "'") return null;
  const close = text.indexOf(q, offset + 1);
  if (close < 0) return null;
  return text.slice(offset + 1, close);
}

/**
 * YAML scalar readers that keep, for every character of the value, its offset in the file: quoting,
 * escapes and line folding undone the way YAML does, so a position in a rule's search maps back to
 * the exact line and column of the file.
 */
export interface ScalarMap {
  chars: string[];
  offsets: number[];
}

function push(out: ScalarMap, s: string, offset: number): void {
  out.chars.push(s);
  out.offsets.push(offset);
}

/** Drop trailing spaces/tabs pushed since `from` (line folding trims them). */
function trimTrailing(out: ScalarMap, from: number): void {
  while (out.chars.length > from && (out.chars[out.chars.length - 1] === ' ' || out.chars[out.chars.length - 1] === '\t')) {
    out.chars.pop();
    out.offsets.pop();
  }
}

/**
 * At a line break inside a flow scalar: fold it (one space, or one newline per empty line) and
 * return the offset of the next content character.
 */
function fold(t: string, nl: number, out: ScalarMap, lineStartIdx: number): number {
  trimTrailing(out, lineStartIdx);
  let i = nl + 1;
  let empty = 0;
  for (;;) {
    while (t[i] === ' ' || t[i] === '\t') i++;
    if (t[i] === '\r') i++;
    if (t[i] === '\n') {
      empty++;
      i++;
      continue;
    }
    break;
  }
  if (empty === 0) push(out, ' ', nl);
  else for (let k = 0; k < empty; k++) push(out, '\n', nl);
  return i;
}

const ESCAPES: Record<string, string> = { '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029' };

export function readQuoted(t: string, start: number, quote: string, out: ScalarMap): void {
  let i = start + 1;
  let lineStart = 0;
  while (i < t.length) {
    const c = t[i]!;
    if (c === quote) {
      if (quote === "'" && t[i + 1] === "'") {
        push(out, "'", i);
        i += 2;
        continue;
      }
      return;
    }
    if (c === '\r' && t[i + 1] === '\n') {
      i++;
      continue;
    }
    if (c === '\n') {
      i = fold(t, i, out, lineStart);
      lineStart = out.chars.length;
      continue;
    }
    if (quote === '"' && c === '\\') {
      const n = t[i + 1] ?? '';
      if (n === '\n' || n === '\r') {
        // escaped line break: joins lines without a space
        i += n === '\r' ? 3 : 2;
        while (t[i] === ' ' || t[i] === '\t') i++;
        continue;
      }
      const hex = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
      if (hex) {
        push(out, String.fromCodePoint(parseInt(t.slice(i + 2, i + 2 + hex), 16) || 0), i);
        i += 2 + hex;
        continue;
      }
      push(out, ESCAPES[n] ?? n, i);
      i += 2;
      continue;
    }
    push(out, c, i);
    i++;
  }
}

export function readPlain(t: string, start: number, out: ScalarMap): void {
  let i = start;
  let lineStart = 0;
  while (i < t.length) {
    const c = t[i]!;
    if (c === '\n' || (c === '\r' && t[i + 1] === '\n')) {
      const nl = c === '\r' ? i + 1 : i;
      // a continuation line must be indented; a comment or a column-0 line ends the scalar
      let j = nl + 1;
      while (t[j] === '\n' || t[j] === '\r') j++;
      const indented = t[j] === ' ' || t[j] === '\t';
      let k = j;
      while (t[k] === ' ' || t[k] === '\t') k++;
      if (!indented || t[k] === '#' || k >= t.length) break;
      i = fold(t, nl, out, lineStart);
      lineStart = out.chars.length;
      continue;
    }
    if (c === '#' && (t[i - 1] === ' ' || t[i - 1] === '\t')) break;
    push(out, c, i);
    i++;
  }
  trimTrailing(out, 0);
}

export function readBlock(t: string, start: number, style: string, out: ScalarMap): void {
  let i = start + 1;
  let chomp = 'clip';
  let indent = 0;
  while (i < t.length && t[i] !== '\n') {
    const c = t[i]!;
    if (c === '-') chomp = 'strip';
    else if (c === '+') chomp = 'keep';
    else if (c >= '1' && c <= '9') indent = Number(c);
    else if (c === '#') break;
    i++;
  }
  while (i < t.length && t[i] !== '\n') i++;
  i++;
  const lines: Array<{ start: number; end: number }> = [];
  while (i <= t.length) {
    let end = t.indexOf('\n', i);
    if (end < 0) end = t.length;
    const raw = t.slice(i, end).replace(/\r$/, '');
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim() === '') lines.push({ start: i, end: i });
    else {
      if (indent === 0) indent = lead;
      if (lead < indent) break;
      lines.push({ start: i + indent, end: i + raw.length });
    }
    if (end >= t.length) break;
    i = end + 1;
  }
  while (lines.length && lines[lines.length - 1]!.start === lines[lines.length - 1]!.end) lines.pop();
  lines.forEach((l, k) => {
    for (let j = l.start; j < l.end; j++) push(out, t[j]!, j);
    if (k < lines.length - 1 || chomp !== 'strip') {
      const next = lines[k + 1];
      const foldable = style === '>' && next && l.end > l.start && next.end > next.start && t[l.start] !== ' ' && t[next.start] !== ' ';
      push(out, foldable ? ' ' : '\n', l.end);
    }
  });
}

/**
 * Field names created by GROK and DISSECT patterns. These are plain scans of the pattern text,
 * not regex compilation: the pattern itself stays text (it is not a predicate).
 */

/** GROK: `%{SYNTAX:name}` / `%{SYNTAX:name:type}` and Oniguruma named groups `(?<name>...)`. */
export function grokFieldNames(pattern: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] === '\\') {
      i += 2;
      continue;
    }
    if (pattern.startsWith('%{', i)) {
      const close = pattern.indexOf('}', i + 2);
      if (close < 0) break;
      const parts = pattern.slice(i + 2, close).split(':');
      const name = parts[1];
      if (name) names.push(name);
      i = close + 1;
      continue;
    }
    if (pattern.startsWith('(?<', i) && pattern[i + 3] !== '=' && pattern[i + 3] !== '!') {
      const close = pattern.indexOf('>', i + 3);
      if (close < 0) break;
      names.push(pattern.slice(i + 3, close));
      i = close + 1;
      continue;
    }
    i++;
  }
  return names;
}

/**
 * DISSECT: `%{name}`, `%{+name}` (append), `%{name->}` (padding); skip keys `%{}` / `%{?name}` and
 * reference keys `%{*k}` / `%{&k}` (whose names come from the data) create no named field.
 */
export function dissectFieldNames(pattern: string): string[] {
  const names: string[] = [];
  let i = 0;
  while ((i = pattern.indexOf('%{', i)) >= 0) {
    const close = pattern.indexOf('}', i + 2);
    if (close < 0) break;
    let key = pattern.slice(i + 2, close);
    i = close + 1;
    if (key.endsWith('->')) key = key.slice(0, -2);
    const mod = key[0];
    if (mod === '?' || mod === '*' || mod === '&' || key === '') continue;
    if (mod === '+') key = key.slice(1);
    const slash = key.indexOf('/');
    if (slash >= 0) key = key.slice(0, slash);
    if (key && !names.includes(key)) names.push(key);
  }
  return names;
}

/**
 * The other half of Sigma's query syntax: detection keys `Field|mod1|mod2`. The field part is
 * kept verbatim (Sigma field names may hold spaces, dots and dashes: `cs-uri-query`, `New Value`);
 * an empty field (`'|all':`, `'|contains':`) means a keyword search over the whole event.
 */
export interface FieldKeyModifier {
  /** Modifier token as written, without the pipe (`contains`, `re`, `i`). */
  token: string;
  /** Offset of the pipe before the token inside the key, so diagnostics can underline `|token`. */
  offset: number;
}

export interface FieldKey {
  /** Field name as written; null for keyword selections (`'|all':`). */
  field: string | null;
  modifiers: FieldKeyModifier[];
}

/** Split `CommandLine|contains|all` into the field and its modifier chain, with offsets. */
export function parseFieldKey(key: string): FieldKey {
  const first = key.indexOf('|');
  if (first < 0) return { field: key.length > 0 ? key : null, modifiers: [] };
  const field = key.slice(0, first);
  const modifiers: FieldKeyModifier[] = [];
  let pos = first;
  while (pos >= 0) {
    const next = key.indexOf('|', pos + 1);
    const token = key.slice(pos + 1, next < 0 ? key.length : next);
    modifiers.push({ token, offset: pos });
    pos = next;
  }
  return { field: field.length > 0 ? field : null, modifiers };
}

/**
 * Field names a parsed detection reads, in first-seen order (the `fields` facet of a rule page).
 * Accepts keys as written; modifiers are dropped and keyword keys skipped.
 */
export function fieldNamesOfKeys(keys: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const k of keys) {
    const f = parseFieldKey(k).field;
    if (f !== null) seen.add(f);
  }
  return [...seen];
}

import type { Logic, QueryPart, RawPredicate } from './logic.js';

/**
 * Compact, stable text form of a logic tree, used by golden test files and debugging:
 * `(and (eq process.name "cmd.exe") (not (wildcard process.args "*-enc*")))`.
 * Predicate options follow the value: `:cs` case-sensitive, `:derived`, `:dialect=lucene`,
 * `:flags=i`, `:t=base64,utf16le`. A null field prints as `_`.
 */
export function logicToSexpr(logic: Logic): string {
  switch (logic.kind) {
    case 'and':
    case 'or':
      return `(${logic.kind} ${logic.children.map(logicToSexpr).join(' ')})`;
    case 'not':
      return `(not ${logicToSexpr(logic.child)})`;
    case 'pred':
      return predicateToSexpr(logic.pred);
    case 'any':
      return '*';
    case 'opaque':
      return `(opaque ${JSON.stringify(logic.text)})`;
  }
}

export function predicateToSexpr(p: RawPredicate): string {
  const opts: string[] = [];
  if (p.caseSensitive) opts.push(':cs');
  if (p.derived) opts.push(':derived');
  if (p.dialect) opts.push(`:dialect=${p.dialect}`);
  if (p.flags) opts.push(`:flags=${p.flags}`);
  if (p.transforms && p.transforms.length > 0) opts.push(`:t=${p.transforms.join(',')}`);
  const value = typeof p.value === 'string' ? JSON.stringify(p.value) : String(p.value);
  return `(${p.operator} ${p.field ?? '_'} ${value}${opts.length ? ' ' + opts.join(' ') : ''})`;
}

/** Parts in text form: a single unlabelled part prints as its logic; steps print one per line. */
export function partsToSexpr(parts: readonly QueryPart[]): string {
  if (parts.length === 1 && parts[0]!.step === undefined && !parts[0]!.by?.length) return logicToSexpr(parts[0]!.logic);
  return parts
    .map((p) => {
      const head = [p.step !== undefined ? String(p.step) : '', p.label ?? p.category ?? '', p.by?.length ? `by=${p.by.join(',')}` : '']
        .filter(Boolean)
        .join(' ');
      return `[${head}] ${logicToSexpr(p.logic)}`;
    })
    .join('\n');
}

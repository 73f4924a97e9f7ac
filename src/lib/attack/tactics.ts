import { diagnosticAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import { cmp } from './detection.js';
import { bool, mitreRef, str, strings, type StixObject } from './stix.js';
import type { Tactic } from './types.js';

/** Tactics in the matrix's `tactic_refs` order; tactics outside the matrix follow, by ID. */
export function orderTactics(matrix: StixObject | undefined, objects: ReadonlyMap<string, StixObject>, hasTechniques: boolean, report: (d: Diagnostic) => void): Tactic[] {
  const toTactic = (o: StixObject): Tactic | null => {
    const ref = mitreRef(o);
    const shortname = str(o, 'x_mitre_shortname');
    if (!ref || !shortname) return null;
    return { id: ref.id, shortname, name: str(o, 'name'), description: str(o, 'description'), url: ref.url, stixId: o.id };
  };
  const out: Tactic[] = [];
  const used = new Set<string>();
  if (!matrix && (objects.size > 0 || hasTechniques)) {
    report(diagnosticAt('attack/no-matrix', 'the bundle has no x-mitre-matrix: tactics are ordered by ID, not kill chain', 'use a complete enterprise-attack.json', { line: 0, column: 0 }, 'warning'));
  }
  for (const ref of matrix ? strings(matrix, 'tactic_refs') : []) {
    const o = objects.get(ref);
    const t = o ? toTactic(o) : null;
    if (!t) {
      report(diagnosticAt('attack/dangling-ref', `the matrix names tactic ${ref}, which is missing or has no ID/shortname`, 'the bundle is incomplete; use a full enterprise-attack.json', { line: 0, column: 0 }, 'warning'));
      continue;
    }
    out.push(t);
    used.add(ref);
  }
  const rest: Tactic[] = [];
  for (const [stixId, o] of objects) {
    if (used.has(stixId) || bool(o, 'x_mitre_deprecated') || bool(o, 'revoked')) continue;
    const t = toTactic(o);
    if (t) rest.push(t);
  }
  rest.sort((a, b) => cmp(a.id, b.id));
  return out.concat(rest);
}

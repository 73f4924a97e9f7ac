import { diagnosticAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import { cmp } from './detection.js';
import { str, type StixObject } from './stix.js';
import type { Technique } from './types.js';

/** A technique a rule may be counted toward: neither revoked nor deprecated. */
export function isLive(t: Technique): boolean {
  return !t.revoked && !t.deprecated;
}

/** Parent links from `subtechnique-of` (source = sub-technique, target = parent); ID prefix as fallback. */
export function linkSubtechniques(rels: readonly StixObject[], byStix: ReadonlyMap<string, Technique>, byId: ReadonlyMap<string, Technique>, report: (d: Diagnostic) => void): void {
  for (const r of rels) {
    const sub = byStix.get(str(r, 'source_ref'));
    const parent = byStix.get(str(r, 'target_ref'));
    if (!sub || !parent) continue;
    sub.parentId = parent.id;
    sub.isSubtechnique = true;
  }
  for (const t of byId.values()) {
    if (!t.isSubtechnique) continue;
    if (!t.parentId) {
      const prefix = t.id.split('.')[0]!;
      if (prefix !== t.id && byId.has(prefix)) t.parentId = prefix;
      if (!t.revoked && !t.deprecated) {
        report(diagnosticAt('attack/missing-parent', `sub-technique ${t.id} has no subtechnique-of relationship${t.parentId ? `; using ${t.parentId} from its ID` : ''}`, 'the bundle is incomplete; use a full enterprise-attack.json', { line: 0, column: 0 }, 'warning'));
      }
    }
    if (t.parentId && isLive(t)) byId.get(t.parentId)?.subtechniques.push(t.id);
  }
  for (const t of byId.values()) t.subtechniques.sort(cmp);
}

/** `revokedBy` = the end of the revoked-by chain (T1086 -> T1059.001); cycles are reported, not followed. */
export function resolveRevocations(revokedBy: ReadonlyMap<string, string>, byStix: ReadonlyMap<string, Technique>, report: (d: Diagnostic) => void): void {
  for (const [source, t] of byStix) {
    if (!revokedBy.has(source)) continue;
    const seen = new Set<string>([source]);
    let current = revokedBy.get(source)!;
    while (revokedBy.has(current) && !seen.has(current)) {
      seen.add(current);
      current = revokedBy.get(current)!;
    }
    if (seen.has(current)) {
      report(diagnosticAt('attack/revoked-cycle', `the revoked-by chain of ${t.id} loops`, 'the bundle is inconsistent; its revoked techniques will not resolve', { line: 0, column: 0 }, 'warning'));
      continue;
    }
    const target = byStix.get(current);
    if (target) {
      t.revokedBy = target.id;
      t.revoked = true;
    }
  }
}

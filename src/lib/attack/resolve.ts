import type { AttackModel } from './types.js';

/** How a rule's technique tag reached a technique of the bundle. */
export interface TechniqueResolution {
  /** The live technique to count the rule toward. */
  id: string;
  /** `bundle`: the tag is a live ID; `revoked`: followed revoked-by; `crosswalk`: a v19 ID via our crosswalk. */
  via: 'bundle' | 'revoked' | 'crosswalk';
  /** The tag as normalized (`T1059.001`), for provenance on rule pages and diagnostics. */
  from: string;
}

const TAG = /^T\d{4}(\.\d{3})?$/;

/**
 * Normalize a technique tag to `T1234` / `T1234.001`: trims, upper-cases and drops a Sigma `attack.`
 * prefix. Returns null when the text is not a technique ID (a tactic, a group, a typo).
 */
export function normalizeTechniqueId(tag: string): string | null {
  let s = tag.trim();
  if (s.length > 7 && s.slice(0, 7).toLowerCase() === 'attack.') s = s.slice(7);
  s = s.toUpperCase();
  return TAG.test(s) ? s : null;
}

/**
 * Resolve a rule's technique tag to the technique it counts toward: a live ID as itself, a revoked
 * ID to its replacement, a v19 ID through the crosswalk (then through revocations of the target).
 * Deprecated techniques resolve as themselves: the rule still names them, pages flag them.
 * Null when the tag names nothing we know: the caller turns that into a diagnostic.
 */
export function resolveTechnique(model: AttackModel, id: string): TechniqueResolution | null {
  const from = normalizeTechniqueId(id);
  if (!from) return null;
  const t = model.techniques.get(from);
  if (t && !t.revoked) return { id: from, via: 'bundle', from };
  if (t?.revokedBy && live(model, t.revokedBy)) return { id: t.revokedBy, via: 'revoked', from };
  const entry = model.crosswalk.get(from);
  if (!entry) return null;
  const target = model.techniques.get(entry.v18);
  if (!target) return null;
  if (!target.revoked) return { id: target.id, via: 'crosswalk', from };
  if (target.revokedBy && live(model, target.revokedBy)) return { id: target.revokedBy, via: 'crosswalk', from };
  return null;
}

function live(model: AttackModel, id: string): boolean {
  const t = model.techniques.get(id);
  return !!t && !t.revoked;
}

/** How a rule's tactic tag reached a tactic of the bundle. */
export interface TacticResolution {
  /** Tactic shortname in the bundle (`defense-evasion`). */
  shortname: string;
  /** Tactic ID in the bundle (`TA0005`). */
  id: string;
  via: 'bundle' | 'crosswalk';
  /** The tag as normalized: a shortname (`stealth`) or an ID (`TA0002`). */
  from: string;
}

/**
 * Resolve a tactic tag (`attack.execution`, `Execution`, `TA0002`, v19 `attack.stealth`) to a tactic
 * of the bundle. IDs are looked up in the bundle only: v19 reused TA0005 for Stealth, which still
 * lands on v18 Defense Evasion. Null for anything else (the caller reports it).
 */
export function resolveTactic(model: AttackModel, tag: string): TacticResolution | null {
  let s = tag.trim();
  if (s.length > 7 && s.slice(0, 7).toLowerCase() === 'attack.') s = s.slice(7);
  if (/^ta\d{4}$/i.test(s)) {
    const id = s.toUpperCase();
    const t = model.tactics.find((x) => x.id === id);
    if (t) return { shortname: t.shortname, id: t.id, via: 'bundle', from: id };
    const row = [...model.tacticCrosswalk.values()].find((r) => r.id === id);
    const target = row && model.tactics.find((x) => x.shortname === row.v18);
    return target ? { shortname: target.shortname, id: target.id, via: 'crosswalk', from: id } : null;
  }
  const from = s.toLowerCase().replace(/[\s_]+/g, '-');
  const t = model.tactics.find((x) => x.shortname === from);
  if (t) return { shortname: t.shortname, id: t.id, via: 'bundle', from };
  const row = model.tacticCrosswalk.get(from);
  const target = row && model.tactics.find((x) => x.shortname === row.v18);
  return target ? { shortname: target.shortname, id: target.id, via: 'crosswalk', from } : null;
}

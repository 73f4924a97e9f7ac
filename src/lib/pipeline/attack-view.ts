import { resolveTechnique } from '../attack/resolve.js';
import type { AttackModel } from '../attack/types.js';
import type { AttackView } from '../aggregate/build-index.js';

/** Adapt the ATT&CK model to the slice the aggregates need. */
export function attackView(model: AttackModel): AttackView {
  return {
    version: model.version,
    tactics: model.tactics.map((t) => ({ id: t.id, shortname: t.shortname, name: t.name })),
    techniques: model.techniques as AttackView['techniques'],
    resolve: (tag) => {
      const r = resolveTechnique(model, tag);
      return r ? { id: r.id, via: r.via } : null;
    },
  };
}

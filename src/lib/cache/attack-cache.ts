import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { resolveTechnique } from '../attack/resolve.js';
import type { AttackModel, CrosswalkEntry } from '../attack/types.js';
import { ATTACK_TECHNIQUE_VIEW_KEYS, type AttackTechniqueView, type AttackView } from '../aggregate/build-index.js';
import { attackView } from '../pipeline/attack-view.js';
import { sha256Hex } from './hash.js';
import { codeFingerprint } from './version.js';

/**
 * The slice of the ATT&CK model the index needs (what `attackView` exposes, plus the crosswalk that
 * `resolve` reads): a few MB that v8 restores in milliseconds, where the 32 MB bundle's JSON.parse
 * takes most of a second.
 */
export interface ReducedAttack {
  version: string;
  tactics: AttackView['tactics'];
  techniques: Map<string, AttackTechniqueView>;
  crosswalk: Map<string, CrosswalkEntry>;
}

interface AttackCacheFile {
  key: string;
  /** The bundle as last hashed: when path, size and mtime still match, its hash is reused. */
  bundle: { path: string; size: number; mtimeMs: number; hash: string };
  model: ReducedAttack;
}

/** Keep the view fields of a full model (drops analytics, detection strategies, STIX ids). */
export function reduceAttack(model: AttackModel): ReducedAttack {
  const view = attackView(model);
  const techniques = new Map<string, AttackTechniqueView>();
  for (const [id, t] of view.techniques) {
    // Copy only the view's keys (drops analytics, detection strategies, STIX ids); absent optional
    // keys stay absent.
    const r: Record<string, unknown> = {};
    for (const k of ATTACK_TECHNIQUE_VIEW_KEYS) if (t[k] !== undefined) r[k] = t[k];
    techniques.set(id, r as AttackTechniqueView);
  }
  return { version: view.version, tactics: view.tactics, techniques, crosswalk: model.crosswalk };
}

/** The aggregate's view of a reduced model; `resolve` behaves as `attackView(model).resolve`. */
export function reducedAttackView(r: ReducedAttack): AttackView {
  // resolveTechnique reads only `techniques` (id, revoked, revokedBy) and `crosswalk`.
  const model = { techniques: r.techniques, crosswalk: r.crosswalk } as unknown as AttackModel;
  return {
    version: r.version,
    tactics: r.tactics,
    techniques: r.techniques,
    resolve: (tag) => {
      const res = resolveTechnique(model, tag);
      return res ? { id: res.id, via: res.via } : null;
    },
  };
}

/**
 * ATT&CK for the index, from `<cacheDir>/attack.bin` when the bundle (by sha256), the crosswalk and
 * the code are unchanged, else from `load()` (which parses the bundle and throws on its errors).
 */
export function cachedAttackView(
  cacheDir: string,
  bundlePath: string,
  crosswalkPath: string | undefined,
  load: () => AttackModel,
  /** Told the key the view was cached under (bundle, crosswalk and code hashes), or null without one. */
  onKey?: (key: string | null) => void,
): AttackView {
  const file = join(cacheDir, 'attack.bin');
  let cached: AttackCacheFile | null = null;
  try {
    cached = deserialize(readFileSync(file)) as AttackCacheFile;
  } catch {
    cached = null;
  }
  const abs = resolve(bundlePath);
  let bundleHash: string;
  let st: { size: number; mtimeMs: number } | null = null;
  try {
    st = statSync(abs);
  } catch {
    st = null;
  }
  if (st && cached?.bundle && cached.bundle.path === abs && cached.bundle.size === st.size && cached.bundle.mtimeMs === st.mtimeMs) {
    bundleHash = cached.bundle.hash;
  } else {
    try {
      bundleHash = sha256Hex(readFileSync(abs));
    } catch {
      onKey?.(null);
      return attackView(load()); // missing bundle: let the loader report it
    }
  }
  let crosswalk = '';
  if (crosswalkPath) {
    try {
      crosswalk = sha256Hex(readFileSync(crosswalkPath));
    } catch {
      crosswalk = 'unreadable';
    }
  }
  const key = sha256Hex(codeFingerprint(), bundleHash, crosswalk);
  onKey?.(key);
  if (cached && cached.key === key && cached.model) return reducedAttackView(cached.model);
  const model = reduceAttack(load());
  if (st) {
    const data: AttackCacheFile = { key, bundle: { path: abs, size: st.size, mtimeMs: st.mtimeMs, hash: bundleHash }, model };
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize(data));
    renameSync(tmp, file);
  }
  return reducedAttackView(model);
}

/**
 * Lazy records: objects whose own enumerable properties are `keys`, in that order, some given now
 * (`eager`), the rest decoded by `load()` on the first access to any of them. They are Proxies
 * over a small target, so making one costs an allocation, not a property definition per key; to
 * any reader (property access, `in`, `Object.keys`, spread, `JSON.stringify`, deep equality) they
 * look like the plain object a full run builds: same keys, same order, same values. Writes and
 * deletes work too (they decode first). Not supported: `structuredClone` / `v8.serialize` (a
 * Proxy cannot be cloned) — the index is written as JSON.
 *
 * The incremental index builds the rules and aggregates a warm run did not touch this way: a page
 * or a JSON file that needs a rule's predicates decodes that rule, and nothing else is decoded.
 */

interface Target {
  keys: string[];
  /** Membership of `keys` (shared until a write adds or removes a key). */
  has: ReadonlySet<string>;
  eager: Record<string, unknown>;
  load: (() => Record<string, unknown>) | null;
  data: Record<string, unknown> | null;
}

const targets = new WeakMap<object, Target>();

function decoded(t: Target): Record<string, unknown> {
  if (t.data === null) {
    const load = t.load!;
    t.load = null;
    t.data = load();
  }
  return t.data;
}

function read(t: Target, k: string): unknown {
  return Object.prototype.hasOwnProperty.call(t.eager, k) ? t.eager[k] : decoded(t)[k];
}

function ownKeysCopy(t: Target): void {
  t.keys = [...t.keys];
  t.has = new Set(t.keys);
}

const handler: ProxyHandler<Target> = {
  get(t, k) {
    if (typeof k === 'string' && t.has.has(k)) return read(t, k);
    return Reflect.get(Object.prototype, k);
  },
  has(t, k) {
    return (typeof k === 'string' && t.has.has(k)) || Reflect.has(Object.prototype, k);
  },
  ownKeys(t) {
    return [...t.keys];
  },
  getOwnPropertyDescriptor(t, k) {
    if (typeof k !== 'string' || !t.has.has(k)) return undefined;
    return {
      value: read(t, k),
      writable: true,
      enumerable: true,
      configurable: true,
    };
  },
  set(t, k, v) {
    if (typeof k !== 'string') return false;
    if (Object.prototype.hasOwnProperty.call(t.eager, k)) t.eager[k] = v;
    else decoded(t)[k] = v;
    if (!t.has.has(k)) {
      ownKeysCopy(t);
      t.keys.push(k);
      (t.has as Set<string>).add(k);
    }
    return true;
  },
  defineProperty(t, k, desc) {
    if (!('value' in desc) || desc.enumerable === false || desc.get || desc.set) return false;
    return handler.set!(t, k, desc.value, undefined);
  },
  deleteProperty(t, k) {
    if (typeof k !== 'string' || !t.has.has(k)) return true;
    decoded(t);
    delete t.eager[k];
    delete t.data![k];
    ownKeysCopy(t);
    t.keys = t.keys.filter((x) => x !== k);
    (t.has as Set<string>).delete(k);
    return true;
  },
};

const keySets = new WeakMap<readonly string[], ReadonlySet<string>>();

/**
 * A record with `keys` in this order: those in `eager` hold its values now, the others come from
 * `load()` on first access (list only keys that exist: a missing one reads as undefined, as an
 * optional property left out of a plain object would not). `keys` is shared, not copied.
 */
export function lazyRecord<T extends object>(keys: readonly string[], eager: Record<string, unknown>, load: () => Record<string, unknown>): T {
  let has = keySets.get(keys);
  if (!has) keySets.set(keys, (has = new Set(keys)));
  const target: Target = {
    keys: keys as string[],
    has,
    eager,
    load,
    data: null,
  };
  const p = new Proxy(target, handler);
  targets.set(p, target);
  return p as unknown as T;
}

/** True while a lazy record has not been decoded (for tests and the bench). */
export function isPending(obj: object): boolean {
  const t = targets.get(obj);
  return t !== undefined && t.data === null;
}

/** True when `obj` is a lazy record (decoded or not). */
export function isLazy(obj: object): boolean {
  return targets.has(obj);
}

/**
 * Lazy records: an object with its own enumerable properties in a fixed order, some given now
 * (`eager`), the rest decoded on first access of any of them (`load`). Until then those are
 * accessors; the first access replaces them all by plain data properties, in place, so the object
 * then is indistinguishable from one built eagerly: same keys in the same order, the same
 * `JSON.stringify`, spread, `Object.keys` and deep-equality results.
 *
 * The incremental index builds the rules and aggregates a warm run did not touch this way: a page
 * or a JSON file that needs a rule's predicates decodes that rule, and nothing else is decoded.
 */

interface Pending {
  keys: readonly string[];
  load: () => Record<string, unknown>;
}

const pending = new WeakMap<object, Pending>();
const descriptors = new Map<string, PropertyDescriptor>();

function materialize(obj: object): void {
  const p = pending.get(obj);
  if (!p) return;
  pending.delete(obj);
  const data = p.load();
  for (const k of p.keys) Object.defineProperty(obj, k, { value: data[k], writable: true, enumerable: true, configurable: true });
}

/** One shared accessor per property name: no closure per record. */
function descriptorFor(key: string): PropertyDescriptor {
  let d = descriptors.get(key);
  if (!d) {
    d = {
      get(this: Record<string, unknown>) {
        materialize(this);
        return this[key];
      },
      set(this: Record<string, unknown>, v: unknown) {
        materialize(this);
        this[key] = v;
      },
      enumerable: true,
      configurable: true,
    };
    descriptors.set(key, d);
  }
  return d;
}

/**
 * A record with `keys` in this order: those present in `eager` hold its values now, the others are
 * filled from `load()` on first access (keys missing from what `load` returns become undefined, as
 * an optional property of an eager record would be left out; list only the keys that exist).
 */
export function lazyRecord<T extends object>(keys: readonly string[], eager: Readonly<Record<string, unknown>>, load: () => Record<string, unknown>): T {
  const obj: Record<string, unknown> = {};
  const lazyKeys: string[] = [];
  for (const k of keys) {
    if (Object.prototype.hasOwnProperty.call(eager, k)) obj[k] = eager[k];
    else {
      Object.defineProperty(obj, k, descriptorFor(k));
      lazyKeys.push(k);
    }
  }
  if (lazyKeys.length > 0) pending.set(obj, { keys: lazyKeys, load });
  return obj as T;
}

/** True while a lazy record has not been decoded (for tests and the bench). */
export function isPending(obj: object): boolean {
  return pending.has(obj);
}

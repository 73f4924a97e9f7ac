/**
 * Helpers to walk and edit a parsed rule document (plain JSON-like values from js-yaml or
 * smol-toml) by key path. Writes use defineProperty so keys such as `__proto__` become own keys,
 * never a prototype change.
 */
export type Key = string | number;
export type Path = Key[];

export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) {
    if (Array.isArray(v) && typeof k === 'number') v = v[k];
    else if (isMap(v) && Object.prototype.hasOwnProperty.call(v, k)) v = v[String(k)];
    else return undefined;
  }
  return v;
}

/** Set a value at a path; false when the parent does not exist. The root itself cannot be set. */
export function setAt(root: unknown, path: Path, value: unknown): boolean {
  if (path.length === 0) return false;
  const parent = getAt(root, path.slice(0, -1));
  const k = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof k === 'number') {
    parent[k] = value;
    return true;
  }
  if (isMap(parent)) {
    Object.defineProperty(parent, String(k), { value, enumerable: true, writable: true, configurable: true });
    return true;
  }
  return false;
}

export function deleteAt(root: unknown, path: Path): boolean {
  if (path.length === 0) return false;
  const parent = getAt(root, path.slice(0, -1));
  const k = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof k === 'number') {
    parent.splice(k, 1);
    return true;
  }
  if (isMap(parent) && Object.prototype.hasOwnProperty.call(parent, k)) {
    delete parent[String(k)];
    return true;
  }
  return false;
}

/** Rename a map key in place, keeping its position in key order. */
export function renameKey(map: Record<string, unknown>, from: string, to: string): void {
  const entries = Object.entries(map).map(([k, v]) => [k === from ? to : k, v] as const);
  for (const k of Object.keys(map)) delete map[k];
  for (const [k, v] of entries) Object.defineProperty(map, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Every path in the document (breadth-first, bounded), root excluded. */
export function allPaths(root: unknown, maxDepth = 8, maxPaths = 4000): Path[] {
  const out: Path[] = [];
  const queue: { v: unknown; p: Path }[] = [{ v: root, p: [] }];
  while (queue.length > 0 && out.length < maxPaths) {
    const { v, p } = queue.shift()!;
    if (p.length >= maxDepth) continue;
    const kids: [Key, unknown][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : isMap(v) ? Object.entries(v) : [];
    for (const [k, x] of kids) {
      const q = [...p, k];
      out.push(q);
      queue.push({ v: x, p: q });
    }
  }
  return out;
}

/** Paths of every string leaf below `under` (for query mutations inside a Sigma detection). */
export function stringPaths(root: unknown, under: Path = []): Path[] {
  const start = getAt(root, under);
  return allPaths(start, 8).filter((p) => typeof getAt(start, p) === 'string').map((p) => [...under, ...p]);
}

/** Deep copy of plain data (the seeds stay untouched). */
export function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: clone(x), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return v;
}

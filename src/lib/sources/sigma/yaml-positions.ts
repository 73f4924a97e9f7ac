import yaml from 'js-yaml';

/**
 * js-yaml gives values, not positions. Its `listener` option reports every node it opens and
 * closes, which is enough to rebuild a position tree parallel to the loaded value: each mapping
 * entry keeps where its key and its value start, so a diagnostic can point at `|foo` inside
 * `CommandLine|foo:` and a predicate at its value, in any document of a multi-document file.
 */
export interface YNode {
  /** Offset of the node's first character (after separating spaces and comments). */
  readonly start: number;
  /** Offset just after the node's last character. */
  readonly end: number;
  readonly kind: 'mapping' | 'sequence' | 'scalar' | 'empty';
  /** Mapping entries by key (keys stringified as js-yaml does). */
  readonly entries?: Map<string, YEntry> | undefined;
  readonly items?: YNode[] | undefined;
}

export interface YEntry {
  key: YNode;
  value: YNode | null;
}

export interface YamlDocument {
  value: unknown;
  node: YNode | null;
}

export interface YamlSyntaxError {
  message: string;
  /** 0-based offset of the error. */
  offset: number;
  line: number;
  column: number;
}

export interface YamlLoadResult {
  docs: YamlDocument[];
  error: YamlSyntaxError | null;
}

interface Frame {
  open: number;
  end: number;
  kind: string | null;
  result: unknown;
  /** Null until the first child closes: most nodes are scalars. */
  children: Frame[] | null;
}

/** Skip spaces, line breaks and `#` comments from `i`; returns the first content offset. */
export function skipSeparation(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
    } else if (c === 35) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
    } else {
      break;
    }
  }
  return i;
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

function followedByColon(text: string, end: number): boolean {
  let i = end;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) i++;
    else return c === 58;
  }
  return false;
}

/**
 * A plain scalar in block context is first tried as a mapping key: js-yaml then reports the
 * attempt as a child of the real node. Collapse such wrappers to the innermost node.
 */
function innermost(f: Frame): Frame {
  while ((f.kind === 'scalar' || f.kind === null) && f.children !== null) f = f.children[f.children.length - 1]!;
  return f;
}

/**
 * Position node built on first access: a corpus pass touches the detection subtree and a few
 * top-level keys, so the rest of each file's tree is never materialised.
 */
class LazyNode implements YNode {
  readonly start: number;
  readonly end: number;
  readonly kind: YNode['kind'];
  private entriesCache: Map<string, YEntry> | undefined;
  private itemsCache: YNode[] | undefined;

  constructor(
    private readonly text: string,
    private readonly frame: Frame,
  ) {
    this.kind = frame.kind === 'mapping' || frame.kind === 'sequence' ? frame.kind : frame.kind === 'scalar' ? 'scalar' : 'empty';
    // An empty node has no text: keep it on its own line instead of skipping to the next content.
    this.start = this.kind === 'empty' ? skipSpaces(text, frame.open) : Math.min(skipSeparation(text, frame.open), Math.max(frame.open, frame.end));
    this.end = this.kind === 'scalar' || this.kind === 'empty' ? Math.max(this.start, frame.end) : frame.end;
  }

  get entries(): Map<string, YEntry> | undefined {
    if (this.kind !== 'mapping') return undefined;
    if (!this.entriesCache) {
      const entries = new Map<string, YEntry>();
      const kids = this.frame.children ?? [];
      let i = 0;
      while (i < kids.length) {
        const keyFrame = innermost(kids[i]!);
        const key = new LazyNode(this.text, keyFrame);
        let value: YNode | null = null;
        const next = kids[i + 1];
        // The next child is this key's value unless it is itself a key (a scalar followed by ':').
        if (next && !(next.kind === 'scalar' && followedByColon(this.text, next.end))) {
          value = new LazyNode(this.text, innermost(next));
          i += 2;
        } else {
          i += 1;
        }
        entries.set(String(keyFrame.result), { key, value });
      }
      this.entriesCache = entries;
    }
    return this.entriesCache;
  }

  get items(): YNode[] | undefined {
    if (this.kind !== 'sequence') return undefined;
    if (!this.itemsCache) this.itemsCache = (this.frame.children ?? []).map((c) => new LazyNode(this.text, innermost(c)));
    return this.itemsCache;
  }
}

/**
 * Load every document of a YAML text with js-yaml's CORE schema (YAML 1.2: dates stay strings,
 * `yes`/`no` stay strings) and the position tree of each. Never throws: a syntax error comes back
 * with its 0-based position and the documents are dropped.
 */
export function loadYamlWithPositions(text: string): YamlLoadResult {
  const root: Frame = { open: 0, end: 0, kind: null, result: null, children: null };
  const stack: Frame[] = [root];
  const values: unknown[] = [];
  try {
    yaml.loadAll(text, (v) => values.push(v), {
      schema: yaml.CORE_SCHEMA,
      listener(event, state) {
        if (event === 'open') {
          stack.push({ open: state.position, end: state.position, kind: null, result: null, children: null });
        } else {
          const f = stack.pop()!;
          f.end = state.position;
          f.kind = state.kind;
          f.result = f.kind === 'scalar' ? state.result : null;
          const parent = stack[stack.length - 1]!;
          if (parent.children === null) parent.children = [f];
          else parent.children.push(f);
        }
      },
    });
  } catch (e) {
    const err = e as { reason?: string; message?: string; mark?: { line: number; column: number; position: number } };
    const mark = err.mark;
    return {
      docs: [],
      error: {
        message: err.reason ?? err.message ?? String(e),
        offset: mark?.position ?? 0,
        line: (mark?.line ?? 0) + 1,
        column: (mark?.column ?? 0) + 1,
      },
    };
  }
  // js-yaml shares aliased nodes instead of copying them: a "billion laughs" file loads fast but
  // every walk over it (selections, tags, JSON) would expand it, and `&a [*a]` is a cycle.
  const limit = Math.max(MIN_EXPANDED_LIMIT, 2 * text.length);
  if (values.some((v) => expandedSize(v, limit) > limit)) {
    return {
      docs: [],
      error: { message: `the YAML expands to more than ${limit} nodes through aliases (or is nested too deeply or refers to itself)`, offset: 0, line: 1, column: 1 },
    };
  }
  const docs = values.map((value, i) => {
    const f = root.children?.[i];
    return { value, node: f ? new LazyNode(text, innermost(f)) : null };
  });
  return { docs, error: null };
}

/** Expanded-size ceiling for small files; larger files may expand to twice their length. */
const MIN_EXPANDED_LIMIT = 100_000;

/**
 * Nodes a loaded value holds once YAML aliases are copied out (a shared subtree counts once per
 * reference). Stops counting past `limit`; a cycle or a stack overflow counts as infinite.
 */
export function expandedSize(value: unknown, limit: number): number {
  const memo = new Map<object, number>();
  const size = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    memo.set(v, Infinity); // seen again before it is done: a cycle
    let n = 1;
    for (const c of Array.isArray(v) ? v : Object.values(v)) {
      n += size(c);
      if (n > limit) break;
    }
    memo.set(v, n);
    return n;
  };
  try {
    return size(value);
  } catch {
    return Infinity;
  }
}

/**
 * Position nodes of a sequence's items, or undefined when they cannot be paired with the loaded
 * array (js-yaml stores an empty `-` item without reporting a node for it).
 */
export function alignedItems(node: YNode | null | undefined, length: number): YNode[] | undefined {
  const items = node?.items;
  return items && items.length === length ? items : undefined;
}

/** Child position of a mapping key, if the node is a mapping that holds it. */
export function entryOf(node: YNode | null | undefined, key: string): YEntry | undefined {
  return node?.entries?.get(key);
}

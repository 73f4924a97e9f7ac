import { diagnosticAt, type Diagnostic, type Span } from '../../diagnostics/diagnostic.js';
import { Positions, skipQuoted } from './tokens.js';

/** A search macro as security_content defines it (`macros/*.yml`). */
export interface MacroDef {
  /** `sysmon`, `security_content_ctime` or, Splunk-style, `security_content_ctime(1)`. */
  name: string;
  /** Argument names, substituted as `$name$` in the definition. */
  arguments: string[];
  definition: string;
}

/** One macro call met while expanding; `span` is in the original search (the outer call for nested ones). */
export interface MacroExpansion {
  name: string;
  args: string[];
  span: Span;
  /** 0 for a call written in the search, 1+ for calls inside definitions. */
  depth: number;
  /** `*_filter` user hook: absent by design, expanded to nothing. */
  hook?: boolean;
  /** No definition was found: the call is kept in the text as an opaque term. */
  unknown?: boolean;
}

/** A top-level replacement: `src` range of the original text became `out` range of the expansion. */
export interface Replacement {
  /** Macro name (`sysmon`, `process_cmd`). */
  name: string;
  srcStart: number;
  srcEnd: number;
  outStart: number;
  outEnd: number;
}

export interface ExpandResult {
  text: string;
  diagnostics: Diagnostic[];
  expansions: MacroExpansion[];
  /** `*_filter` hooks met, unique, in order. */
  filterMacros: string[];
  /** Top-level replacements in order, to map positions of the expansion back to the search. */
  replacements: Replacement[];
}

const MAX_DEPTH = 16;
/** Macro calls expanded per search: real searches use a handful; a 4-way, 12-level bomb means 16 million. */
export const MAX_MACRO_EXPANSIONS = 10_000;
/** Characters of expanded text per search (1 MB): beyond it the expansion stops with `spl/macro-too-large`. */
export const MAX_EXPANDED_LENGTH = 1_000_000;

/** Key of a macro: `name` without arguments, `name(n)` with n arguments (Splunk's convention). */
export function macroKey(name: string, argc: number): string {
  return argc > 0 ? `${name}(${argc})` : name;
}

/** Index macro definitions by `name(n)`, whether their file names the arity or not. */
export function macroTable(defs: Iterable<MacroDef>): Map<string, MacroDef> {
  const map = new Map<string, MacroDef>();
  for (const d of defs) {
    const m = /^(.*)\((\d+)\)$/.exec(d.name);
    const key = m ? macroKey(m[1]!, Number(m[2])) : macroKey(d.name, d.arguments.length);
    map.set(key, d);
  }
  return map;
}

/**
 * Expand backtick macros in a search, the way Splunk does before parsing: textual substitution of
 * `$arg$`, nested macros expanded recursively (depth limit and cycle check), strings and
 * ```comments``` left alone. Unknown macros stay in the text (the parser keeps them as opaque
 * terms) with a warning; missing `*_filter` macros are user hooks and expand to nothing (with their
 * pipe). Never throws.
 */
export function expandMacros(search: string, macros: ReadonlyMap<string, MacroDef>, maxDepth = MAX_DEPTH): ExpandResult {
  const ex = new Expander(search, macros, maxDepth);
  const text = ex.expand(search, 0, [], null);
  return { text, diagnostics: ex.diagnostics, expansions: ex.expansions, filterMacros: ex.filterMacros, replacements: ex.replacements };
}

class Expander {
  readonly diagnostics: Diagnostic[] = [];
  readonly expansions: MacroExpansion[] = [];
  readonly filterMacros: string[] = [];
  readonly replacements: Replacement[] = [];
  private readonly positions: Positions;
  /** Calls expanded so far and characters produced by definitions, checked against the limits above. */
  private calls = 0;
  private produced = 0;
  /** Set when a limit was hit: everything left is kept as written and the search is refused. */
  private tooLarge = false;
  private readonly arities = new Map<string, string | undefined>();

  constructor(readonly original: string, readonly macros: ReadonlyMap<string, MacroDef>, readonly maxDepth: number) {
    this.positions = new Positions(original);
  }

  /** Expand `text`; `origin` is the top-level call (original offsets) when expanding a definition. */
  expand(text: string, depth: number, stack: string[], origin: { start: number; end: number } | null): string {
    let out = '';
    let chunk = 0;
    let i = 0;
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) {
        i += 2; // an escaped quote outside a string does not open one
        continue;
      }
      if (c === 34) {
        i = skipQuoted(text, i, n);
        continue;
      }
      if (c !== 96) {
        i++;
        continue;
      }
      if (text.startsWith('```', i)) {
        const close = text.indexOf('```', i + 3);
        i = close < 0 ? n : close + 3;
        continue;
      }
      const close = text.indexOf('`', i + 1);
      const where = origin ?? { start: i, end: close < 0 ? i + 1 : close + 1 };
      if (close < 0) {
        this.report('spl/unterminated-macro', 'macro call is not closed by a backtick', 'add the closing backtick', where, 'warning');
        break;
      }
      const call = parseCall(text.slice(i + 1, close));
      const repl = call && !this.tooLarge ? this.resolve(call, depth, stack, where) : null;
      if (call === null) this.report('spl/macro-syntax', `malformed macro call \`${text.slice(i, close + 1)}\``, 'write `name` or `name(arg1, arg2)` between backticks', where, 'warning');
      if (repl === null) {
        i = close + 1;
        continue;
      }
      let pending = text.slice(chunk, i);
      let srcStart = i;
      if (repl.hook && isWholeCommand(text, i, close + 1)) {
        // drop `| `x_filter`` entirely so the expansion shows no dangling pipe
        const trimmed = pending.trimEnd();
        if (trimmed.endsWith('|')) {
          pending = trimmed.slice(0, -1).trimEnd();
          srcStart = chunk + pending.length;
        }
      }
      out += pending;
      if (depth === 0) this.replacements.push({ name: call!.name, srcStart, srcEnd: close + 1, outStart: out.length, outEnd: out.length + repl.text.length });
      out += repl.text;
      i = close + 1;
      chunk = i;
    }
    return out + text.slice(chunk);
  }

  /** Expansion of one call, or null to keep it as written. */
  private resolve(call: { name: string; args: string[] }, depth: number, stack: string[], where: { start: number; end: number }): { text: string; hook: boolean } | null {
    const key = macroKey(call.name, call.args.length);
    const def = this.macros.get(key);
    const base = { name: call.name, args: call.args, span: this.span(where), depth };
    if (!def) {
      if (call.name.endsWith('_filter')) {
        this.expansions.push({ ...base, hook: true });
        if (!this.filterMacros.includes(call.name)) this.filterMacros.push(call.name);
        return { text: '', hook: true };
      }
      this.expansions.push({ ...base, unknown: true });
      const other = this.otherArity(call.name);
      if (other) {
        this.report('spl/macro-arity', `macro \`${call.name}\` is called with ${call.args.length} argument(s) but defined as \`${other}\``, 'pass as many arguments as the definition names', where, 'warning');
      } else {
        this.report('spl/unknown-macro', `unknown macro \`${key}\`${depth > 0 ? ' (inside a macro definition)' : ''}`, 'add its definition to macros/ (it is kept as an opaque term)', where, 'warning');
      }
      return null;
    }
    if (stack.includes(key)) {
      this.report('spl/macro-recursion', `macro \`${key}\` expands to itself (${[...stack, key].join(' -> ')})`, 'break the cycle in the macro definitions', where, 'warning');
      return null;
    }
    if (depth >= this.maxDepth) {
      this.report('spl/macro-depth', `macros nested deeper than ${this.maxDepth} levels at \`${key}\``, 'simplify the macro definitions', where, 'warning');
      return null;
    }
    if (!this.withinLimits(def.definition.length, key, where)) return null;
    this.expansions.push(base);
    let body = def.definition;
    def.arguments.forEach((arg, k) => {
      body = body.split(`$${arg}$`).join(call.args[k] ?? '');
    });
    if (!this.withinLimits(body.length - def.definition.length, key, where)) return null;
    const text = this.expand(body, depth + 1, [...stack, key], where);
    if (this.tooLarge) return null;
    return { text, hook: false };
  }

  /**
   * Count one more call producing `chars` characters. Past MAX_MACRO_EXPANSIONS calls or
   * MAX_EXPANDED_LENGTH characters, report `spl/macro-too-large` once (at the call written in the
   * search) and stop expanding, so a macro bomb costs milliseconds instead of hanging the build.
   */
  private withinLimits(chars: number, key: string, where: { start: number; end: number }): boolean {
    if (this.tooLarge) return false;
    this.calls++;
    this.produced += Math.max(0, chars);
    if (this.calls <= MAX_MACRO_EXPANSIONS && this.produced <= MAX_EXPANDED_LENGTH) return true;
    this.tooLarge = true;
    const what = this.calls > MAX_MACRO_EXPANSIONS ? `more than ${MAX_MACRO_EXPANSIONS.toLocaleString('en-US')} macro calls` : `more than ${MAX_EXPANDED_LENGTH.toLocaleString('en-US')} characters`;
    this.report('spl/macro-too-large', `macro expansion grows too large: ${what} (at \`${key}\`)`, 'macros calling each other several times multiply; make the definitions call fewer macros', where, 'error');
    return false;
  }

  /** A definition of `name` with another arity, looked up once per name (a search may repeat a call thousands of times). */
  private otherArity(name: string): string | undefined {
    if (!this.arities.has(name)) {
      let found: string | undefined;
      for (const k of this.macros.keys()) {
        if (k === name || k.startsWith(`${name}(`)) {
          found = k;
          break;
        }
      }
      this.arities.set(name, found);
    }
    return this.arities.get(name);
  }

  private span(where: { start: number; end: number }): Span {
    return this.positions.span(where.start, where.end);
  }

  private report(code: string, message: string, hint: string, where: { start: number; end: number }, severity: 'error' | 'warning'): void {
    this.diagnostics.push(diagnosticAt(code, message, hint, this.span(where), severity));
  }
}

/** `name` / `name(a, "b,c", f(x))` -> name and trimmed arguments; null when malformed. */
function parseCall(body: string): { name: string; args: string[] } | null {
  const open = body.indexOf('(');
  if (open < 0) {
    const name = body.trim();
    return name && !/\s/.test(name) ? { name, args: [] } : null;
  }
  const name = body.slice(0, open).trim();
  if (!name || !body.trimEnd().endsWith(')')) return null;
  const inner = body.slice(open + 1, body.lastIndexOf(')'));
  const args: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charCodeAt(i);
    if (c === 34) {
      i = skipQuoted(inner, i, inner.length) - 1;
      continue;
    }
    if (c === 40) depth++;
    else if (c === 41) depth--;
    else if (c === 44 && depth === 0) {
      args.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = inner.slice(start).trim();
  if (last || args.length > 0) args.push(last);
  return { name, args };
}

/** The call at [start, end) is a whole pipeline command: `| `x`` followed by `|`, `]` or the end. */
function isWholeCommand(text: string, start: number, end: number): boolean {
  let j = end;
  while (j < text.length && /\s/.test(text[j]!)) j++;
  if (j < text.length && text[j] !== '|' && text[j] !== ']') return false;
  let k = start - 1;
  while (k >= 0 && /\s/.test(text[k]!)) k--;
  return k >= 0 && text[k] === '|';
}

/**
 * Map a range of the expanded text back to the original search: inside an expansion it becomes
 * the whole macro call; elsewhere it shifts by the size differences of earlier expansions.
 */
export function toOriginalRange(replacements: readonly Replacement[], start: number, end: number): { start: number; end: number; macro?: string } {
  const first = charRange(replacements, start);
  const hi = charRange(replacements, Math.max(start, end - 1)).end;
  const range = { start: first.start, end: Math.max(hi, first.start + 1) };
  return first.macro ? { ...range, macro: first.macro } : range;
}

/** Original range of the character at `offset` of the expansion. */
function charRange(replacements: readonly Replacement[], offset: number): { start: number; end: number; macro?: string } {
  let delta = 0;
  for (const r of replacements) {
    if (offset < r.outStart) break;
    if (offset < r.outEnd) return { start: r.srcStart, end: r.srcEnd, macro: r.name };
    delta = r.srcEnd - r.outEnd;
  }
  return { start: offset + delta, end: offset + delta + 1 };
}

import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Logic, QueryPart } from '../../model/logic.js';
import type { QueryAnalysis } from '../types.js';
import { analyzeSpl } from './analyze.js';
import type { SplMeta } from './ast.js';
import { expandMacros, toOriginalRange, type ExpandResult, type MacroDef, type Replacement } from './macros.js';
import { Positions } from './tokens.js';

/** SPL facts plus what macro expansion found. */
export interface SplMacroMeta extends SplMeta {
  /** `*_filter` hooks (user tuning points), unique. */
  filterMacros: string[];
  /** Macros expanded (written in the search or nested), unique names. */
  macrosUsed: string[];
  /** Macros with no definition, kept as opaque terms. */
  unknownMacros: string[];
}

export interface SplSearchAnalysis extends QueryAnalysis<SplMacroMeta> {
  /** The search after macro expansion (what was parsed). */
  expanded: string;
  expansion: ExpandResult;
}

/**
 * Expand macros, analyze the expansion, and move every position (diagnostics and predicate spans)
 * back onto the search as written: a position inside an expansion points at the macro call.
 */
export function analyzeSplSearch(search: string, macros: ReadonlyMap<string, MacroDef>): SplSearchAnalysis {
  const expansion = expandMacros(search, macros);
  const analysis = analyzeSpl(expansion.text);
  const mapper = new SpanMapper(search, expansion.text, expansion.replacements);
  const diagnostics: Diagnostic[] = [...expansion.diagnostics, ...analysis.diagnostics.map((d) => mapper.diagnostic(d))];
  const parts: QueryPart[] = analysis.parts.map((p) => ({ ...p, logic: mapper.logic(p.logic) }));
  const used: string[] = [];
  const unknown: string[] = [];
  for (const e of expansion.expansions) {
    if (e.hook) continue;
    const list = e.unknown ? unknown : used;
    if (!list.includes(e.name)) list.push(e.name);
  }
  return {
    parts,
    diagnostics,
    meta: { ...analysis.meta, filterMacros: expansion.filterMacros, macrosUsed: used, unknownMacros: unknown },
    expanded: expansion.text,
    expansion,
  };
}

class SpanMapper {
  private readonly from: Positions;
  private readonly to: Positions;
  private readonly identity: boolean;

  constructor(original: string, expanded: string, readonly replacements: readonly Replacement[]) {
    this.identity = original === expanded;
    this.from = new Positions(expanded);
    this.to = new Positions(original);
  }

  private map(line: number, column: number, length: number): { line: number; column: number; length: number; macro?: string } {
    const start = this.from.offset(line, column);
    const range = toOriginalRange(this.replacements, start, start + Math.max(1, length));
    const span = this.to.span(range.start, range.end);
    return range.macro ? { ...span, macro: range.macro } : span;
  }

  diagnostic(d: Diagnostic): Diagnostic {
    if (this.identity) return d;
    const m = this.map(d.line, d.column, d.length ?? 1);
    const message = m.macro ? `${d.message} (in the expansion of macro \`${m.macro}\`)` : d.message;
    return { ...d, message, line: m.line, column: m.column, length: m.length };
  }

  logic(l: Logic): Logic {
    if (this.identity) return l;
    switch (l.kind) {
      case 'and':
      case 'or':
        return { kind: l.kind, children: l.children.map((c) => this.logic(c)) };
      case 'not':
        return { kind: 'not', child: this.logic(l.child) };
      case 'pred': {
        const s = l.pred.span;
        if (!s) return l;
        const m = this.map(s.line, s.column, s.length);
        return { kind: 'pred', pred: { ...l.pred, span: { line: m.line, column: m.column, length: m.length } } };
      }
      default:
        return l;
    }
  }
}

import { OPERATORS, type Logic } from '../model/logic.js';
import type { AdapterResult } from '../model/rule.js';

/** Past this depth a logic tree risks overflowing the recursive walks of normalize, aggregate and pages. */
export const MAX_LOGIC_DEPTH = 1000;
/**
 * Serialized adapter output above this many bytes per input character (and above 8 MB) is a
 * blow-up (alias bomb, macro bomb) even if it was fast; a plain 1 MB rule serializes to ~20 MB.
 */
export const MAX_RESULT_JSON_RATIO = 40;

const SEVERITIES = new Set(['error', 'warning', 'info']);
const OPS = new Set<string>(OPERATORS);

/**
 * The adapter contract, checked on one result: every diagnostic names the file and a real position
 * inside it (line and column >= 1; a whole-file problem uses 1:1), a failed rule carries an error,
 * an error fails a rule, and published drafts are well-formed and bounded.
 */
export function checkAdapterResult(path: string, text: string, r: AdapterResult, jsonLength: number): string[] {
  const problems: string[] = [];
  // Line breaks as YAML and editors count them: LF, CRLF and a lone CR.
  let lineCount = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lineCount++;
  }
  for (const d of r.diagnostics) {
    const tag = `${d.code} ${d.line}:${d.column}`;
    if (d.file !== path) problems.push(`diagnostic ${tag} has file ${JSON.stringify(d.file)}, want ${JSON.stringify(path)}`);
    if (!(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1)) problems.push(`diagnostic ${tag} has no position (line/column must be >= 1)`);
    if (d.line > lineCount + 1) problems.push(`diagnostic ${tag} points past the end of the file (${lineCount} lines)`);
    if (!SEVERITIES.has(d.severity)) problems.push(`diagnostic ${tag} has severity ${d.severity}`);
    if (!d.code || !d.message || !d.hint) problems.push(`diagnostic ${tag} lacks a code, message or hint`);
  }
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const failed = r.failed ?? 0;
  if (failed > 0 && errors === 0) problems.push(`${failed} rule(s) failed without an error diagnostic`);
  if (errors > 0 && failed === 0) problems.push(`${errors} error diagnostic(s) but no failed rule`);
  if (jsonLength > Math.max(8 * 1024 * 1024, MAX_RESULT_JSON_RATIO * text.length)) problems.push(`adapter result serializes to ${jsonLength} bytes from ${text.length} characters`);
  for (const d of r.rules) {
    if (typeof d.id !== 'string' || d.id.trim() === '') problems.push('draft without an id');
    if (typeof d.title !== 'string') problems.push(`draft ${d.id} title is ${typeof d.title}`);
    for (const k of ['references', 'falsePositives', 'tags', 'events', 'mappingTables'] as const) {
      if (!Array.isArray(d[k]) || d[k].some((x) => typeof x !== 'string')) problems.push(`draft ${d.id} ${k} is not a string list`);
    }
    for (const t of d.techniqueTags) if (!(t.line >= 1 && t.column >= 1)) problems.push(`draft ${d.id} technique tag ${t.id} at ${t.line}:${t.column}`);
    if (d.query !== null && typeof d.query !== 'string') problems.push(`draft ${d.id} query is ${typeof d.query}`);
    for (const p of d.parts) {
      const bad = logicProblem(p.logic);
      if (bad) problems.push(`draft ${d.id}: ${bad}`);
    }
  }
  // One line per kind of problem: a mutant with 10,000 bad diagnostics must not flood the report.
  const unique = [...new Set(problems)];
  return unique.length > 8 ? [...unique.slice(0, 8), `... and ${unique.length - 8} more`] : unique;
}

/** Iterative shape check of a logic tree (no recursion: the tree may be hostile-deep). */
export function logicProblem(root: Logic): string | null {
  const stack: [Logic, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [n, depth] = stack.pop()!;
    if (depth > MAX_LOGIC_DEPTH) return `logic tree deeper than ${MAX_LOGIC_DEPTH}`;
    switch (n?.kind) {
      case 'and':
      case 'or':
        if (!Array.isArray(n.children)) return `${n.kind} without children`;
        for (const c of n.children) stack.push([c, depth + 1]);
        break;
      case 'not':
        stack.push([n.child, depth + 1]);
        break;
      case 'pred': {
        const p = n.pred;
        if (!(p.field === null || typeof p.field === 'string')) return `predicate field is ${typeof p.field}`;
        if (!OPS.has(p.operator)) return `unknown operator ${String(p.operator)}`;
        const t = typeof p.value;
        if (!(p.value === null || t === 'string' || t === 'number' || t === 'boolean')) return `predicate value is ${Array.isArray(p.value) ? 'an array' : t}`;
        break;
      }
      case 'any':
        break;
      case 'opaque':
        if (typeof n.text !== 'string') return 'opaque node without text';
        break;
      default:
        return `unknown logic node ${JSON.stringify((n as { kind?: unknown })?.kind)}`;
    }
  }
  return null;
}

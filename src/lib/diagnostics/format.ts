import type { Diagnostic } from './diagnostic.js';

/**
 * Render a diagnostic the way compilers do: `path:line:col: severity[code]: message`, the source
 * line, a caret run under the whole token, then the hint.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const head = `${d.file || '<input>'}:${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}`;
  const lines = [head];
  if (sourceText !== undefined && d.line > 0) {
    const src = sourceText.split(/\r?\n/)[d.line - 1];
    if (src !== undefined) {
      const shown = src.length > 200 ? src.slice(0, 200) + '…' : src;
      lines.push(`  ${shown}`);
      const col = Math.max(1, d.column);
      const width = Math.max(1, Math.min(d.length ?? 1, Math.max(1, shown.length - col + 1)));
      lines.push(`  ${' '.repeat(col - 1)}${'^'.repeat(width)}`);
    }
  }
  lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

/** Deterministic order for reports: by file, then position, then code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

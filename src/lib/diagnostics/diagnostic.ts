/**
 * One shape for every problem the build meets, from a YAML syntax error in a third-party rule to a
 * bad field mapping in our own catalog. Severity is decided where the diagnostic is collected:
 * a rule's error skips that rule, a catalog error fails the build.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable machine-readable code, e.g. `sigma/unknown-modifier`, `kql/unexpected-token`. */
  code: string;
  severity: Severity;
  message: string;
  /** What the reader can do about it; always present so the report never shows a bare error. */
  hint: string;
  /** Path relative to the source dir (or the catalog file); empty while still inside a parser. */
  file: string;
  /** 1-based line; 0 only when the format has no position (e.g. a whole-file problem). */
  line: number;
  /** 1-based column. */
  column: number;
  /** Length of the offending token, so the caret can underline all of it. */
  length?: number;
}

/** Position of a token inside a parsed text, 1-based, with its length. */
export interface Span {
  line: number;
  column: number;
  length: number;
}

/** Build a diagnostic at a span; parsers call this, adapters fill `file` and shift the position. */
export function diagnosticAt(
  code: string,
  message: string,
  hint: string,
  span: Partial<Span> = {},
  severity: Severity = 'error',
): Diagnostic {
  return {
    code,
    severity,
    message,
    hint,
    file: '',
    line: span.line ?? 1,
    column: span.column ?? 1,
    length: span.length ?? 1,
  };
}

/**
 * Move a diagnostic produced on an embedded text (a query inside a YAML/TOML file) to file
 * coordinates: `base` is where the embedded text starts in the file.
 */
export function shiftDiagnostic(d: Diagnostic, base: { line: number; column: number }, file: string): Diagnostic {
  const line = d.line + base.line - 1;
  const column = d.line === 1 ? d.column + base.column - 1 : d.column;
  return { ...d, file, line, column };
}

/** 1-based line/column of a character offset in a text. */
export function offsetToPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

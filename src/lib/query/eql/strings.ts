import { diagnosticAt, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LineIndex } from './line-index.js';
import type { EqlToken } from './tokens.js';

/** Read a `"..."` string (or a recovered `'...'`) with EQL escapes; returns the offset after it. */
export function readQuoted(text: string, i: number, lines: LineIndex, tokens: EqlToken[], diagnostics: Diagnostic[]): number {
  const quote = text.charCodeAt(i);
  const start = i;
  const n = text.length;
  let value = '';
  let j = i + 1;
  let chunk = j;
  for (;;) {
    if (j >= n || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13) {
      diagnostics.push(
        diagnosticAt('eql/unterminated-string', 'unterminated string', 'close the string with a double quote on the same line, or use """raw""" for multi-line text', lines.span(start, j)),
      );
      value += text.slice(chunk, j);
      break;
    }
    const c = text.charCodeAt(j);
    if (c === quote) {
      value += text.slice(chunk, j);
      j++;
      break;
    }
    if (c !== 92) {
      j++;
      continue;
    }
    value += text.slice(chunk, j);
    const e = text[j + 1];
    let len = 2;
    switch (e) {
      case '\\': value += '\\'; break;
      case '"': value += '"'; break;
      case "'": value += "'"; break;
      case 'n': value += '\n'; break;
      case 't': value += '\t'; break;
      case 'r': value += '\r'; break;
      case 'b': value += '\b'; break;
      case 'f': value += '\f'; break;
      case 'u': {
        const m = /^u\{([0-9A-Fa-f]{1,8})\}/.exec(text.slice(j + 1, j + 12));
        const code = m ? parseInt(m[1]!, 16) : NaN;
        if (m && code <= 0x10ffff) {
          value += String.fromCodePoint(code);
          len = 1 + m[0].length;
        } else {
          diagnostics.push(diagnosticAt('eql/invalid-escape', 'invalid unicode escape', 'write unicode escapes as \\u{hex}, e.g. \\u{00e9}', lines.span(j, j + 2)));
          value += '\\u';
        }
        break;
      }
      default:
        diagnostics.push(
          diagnosticAt(
            'eql/invalid-escape',
            `invalid escape sequence \\${e ?? ''}`,
            'a backslash must be written \\\\ in EQL strings (or use a """raw""" string)',
            lines.span(j, j + 2),
          ),
        );
        value += '\\' + (e ?? '');
    }
    j += len;
    chunk = j;
  }
  tokens.push({ kind: 'string', text: text.slice(start, j), value, start, end: j });
  return j;
}

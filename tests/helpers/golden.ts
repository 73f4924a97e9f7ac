import { readFileSync } from 'node:fs';

/**
 * Golden case files, one per query language (the shape of lezer's test/*.txt):
 *
 *   # a comment line
 *   process.name : "cmd.exe"
 *   ==> (eq process.name "cmd.exe")
 *
 * The query is every line up to `==>`; the expectation is the rest of that line plus any following
 * lines up to a blank line. Cases are separated by blank lines. An expected error is written
 * `error <code> <line>:<col>` (one per line, in order).
 */
export interface GoldenCase {
  name: string;
  line: number;
  query: string;
  expected: string;
}

export function readGoldenCases(file: string): GoldenCase[] {
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  const cases: GoldenCase[] = [];
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.startsWith('#'))) i++;
    if (i >= lines.length) break;
    const start = i;
    const queryLines: string[] = [];
    while (i < lines.length && !lines[i]!.startsWith('==>')) queryLines.push(lines[i++]!);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: case without '==>'`);
    const expectedLines = [lines[i++]!.slice(3).trim()];
    while (i < lines.length && lines[i]!.trim() !== '') expectedLines.push(lines[i++]!);
    const query = queryLines.join('\n');
    cases.push({ name: `${start + 1}: ${query.split('\n')[0]!.slice(0, 60)}`, line: start + 1, query, expected: expectedLines.join('\n').trim() });
  }
  return cases;
}

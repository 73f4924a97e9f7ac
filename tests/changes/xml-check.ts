/**
 * A small strict XML 1.0 well-formedness check for our feeds (no DTD, CDATA or comments are
 * written): balanced tags, quoted attributes without `<`, only predefined or numeric entities,
 * no characters XML forbids. Returns the problems found.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(xml)) problems.push('forbidden character');
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  const entityOk = (s: string) => !/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s);
  while (i < body.length) {
    const lt = body.indexOf('<', i);
    const text = body.slice(i, lt === -1 ? body.length : lt);
    if (text.includes('>') && stack.length === 0 && text.trim()) problems.push('text outside the root');
    if (!entityOk(text)) problems.push(`bad entity in text: ${text.slice(0, 40)}`);
    if (lt === -1) break;
    const gt = body.indexOf('>', lt);
    if (gt === -1) {
      problems.push('unterminated tag');
      break;
    }
    const tag = body.slice(lt + 1, gt);
    const m = /^(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(\/?)$/.exec(tag);
    if (!m) problems.push(`malformed tag <${tag.slice(0, 60)}>`);
    else {
      const [, close, name, attrs, selfClose] = m;
      if (!entityOk(attrs!)) problems.push(`bad entity in attributes of ${name}`);
      if (close) {
        if (stack.pop() !== name) problems.push(`mismatched </${name}>`);
      } else if (!selfClose) {
        if (stack.length === 0) roots++;
        stack.push(name!);
      } else if (stack.length === 0) roots++;
    }
    i = gt + 1;
  }
  if (stack.length > 0) problems.push(`unclosed ${stack.join(', ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/**
 * Escaping for rule text going into HTML and XML. Rule text is third-party: every string is escaped,
 * and characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF) are replaced
 * so that one odd rule cannot make a feed unparseable.
 */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripInvalidXml(s: string): string {
  return s.replace(INVALID_XML, '\uFFFD');
}

/** Text and attribute values in HTML or XML. */
export function escapeXml(s: string): string {
  return stripInvalidXml(s).replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

export const escapeHtml = escapeXml;

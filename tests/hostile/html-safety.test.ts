/** The page scanner the hostile site test relies on: it must see what a browser would run, and only that. */
import { describe, expect, it } from 'vitest';
import { isDangerousUrl, scanHtmlSafety } from './html-safety.js';

const kinds = (html: string) => scanHtmlSafety(html).map((f) => f.kind);

describe('scanHtmlSafety', () => {
  it('finds injected markup', () => {
    expect(kinds('<p>a</p><script>window.__pwned=1</script>')).toEqual(['script-payload']);
    expect(kinds('<img src=x onerror="window.__pwned=1">')).toEqual(['event-handler']);
    expect(kinds("<div onmouseover='x'>")).toEqual(['event-handler']);
    expect(kinds('<a href="javascript:window.__pwned=1">x</a>')).toEqual(['dangerous-url']);
    expect(kinds('<a href=" JaVa&#x09;ScRiPt&colon;x">x</a>')).toEqual(['dangerous-url']);
    expect(kinds('<a href="&#106;avascript:x">x</a>')).toEqual(['dangerous-url']);
    expect(kinds('<iframe src="data:text/html,x"></iframe>')).toEqual(['dangerous-url', 'foreign-element']);
    expect(kinds('<meta http-equiv="refresh" content="0; url=javascript:x">')).toEqual(['dangerous-url']);
    expect(kinds('<base href="https://evil.example/">')).toEqual(['foreign-element']);
    expect(kinds('<!-- window.__pwned -->')).toEqual(['raw-payload']);
  });

  it('leaves escaped text and quoted attribute values alone', () => {
    expect(kinds('<p>&lt;script&gt;window.__pwned=1&lt;/script&gt; &lt;img src=x onerror=&quot;x&quot;&gt;</p>')).toEqual([]);
    expect(kinds('<meta name="description" content="Title <script>window.__pwned=1</script> &#34;><img src=x onerror=&#34;x&#34;>">')).toEqual([]);
    expect(kinds('<code title="a > b">x</code><a href="/rules/x/">ok</a><a href="https://example.com/?q=javascript:">ok</a>')).toEqual([]);
    expect(kinds('<script type="module" src="/_astro/page.js"></script><style>p{color:red}</style>')).toEqual([]);
  });

  it('classifies URLs as a browser parses them', () => {
    for (const u of ['javascript:x', ' javascript:x', 'java\nscript:x', 'JAVASCRIPT:x', 'data:text/html,x', 'vbscript:x', '&#0;javascript:x']) expect(isDangerousUrl(u), u).toBe(true);
    for (const u of ['/x/', 'https://a.example/javascript:', '#javascript:', 'mailto:a@b.example']) expect(isDangerousUrl(u), u).toBe(false);
  });
});

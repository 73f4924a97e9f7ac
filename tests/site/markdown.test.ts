import { describe, expect, it } from 'vitest';
import { isSafeHref, renderAttackDescription, renderMarkdown } from '../../src/lib/site/markdown.js';

const TAGS = new Set(['p', 'a', 'code', 'strong', 'em', 'br', 'sup', 'ul', 'ol', 'li', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'hr', 'img', 's']);
const ATTRS = new Set(['href', 'src', 'alt', 'title', 'rel', 'class', 'start']);

/** No executable HTML may survive: only tags we emit, only harmless attributes, no dangerous URL. */
function expectInert(html: string): void {
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    expect(TAGS, m[0]).toContain(m[1]!.toLowerCase());
    for (const a of m[2]!.matchAll(/\s([^\s=]+)(?:="([^"]*)")?/g)) {
      expect(ATTRS, m[0]).toContain(a[1]!.toLowerCase());
      if (a[1] === 'href' || a[1] === 'src') expect(a[2] ?? '', m[0]).not.toMatch(/^\s*(javascript|data|vbscript|file):/i);
    }
  }
}

describe('renderMarkdown: hostile input', () => {
  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<div onclick="alert(1)">\n\n*block*\n\n</div>',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<svg><script>alert(1)</script></svg>',
    '<!-- comment --><style>body{}</style>',
  ])('escapes raw HTML: %j', (input) => {
    const html = renderMarkdown(input);
    expectInert(html);
    expect(html).toContain('&lt;');
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x]( javascript:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](&#x6A;avascript&#x3A;alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](file:///etc/passwd)',
    '<javascript:alert(1)>',
    '[x][r]\n\n[r]: javascript:alert(1)',
  ])('drops links with unsafe schemes: %j', (input) => {
    const html = renderMarkdown(input);
    expectInert(html);
    expect(html).not.toContain('<a ');
  });

  it.each([
    '![x](javascript:alert(1))',
    '![x](data:image/png;base64,iVBORw0KGgo=)',
    '![x](data:image/svg+xml;base64,PHN2Zz4=)',
  ])('drops images with unsafe sources: %j', (input) => {
    const html = renderMarkdown(input);
    expectInert(html);
    expect(html).not.toContain('<img');
  });

  it('keeps safe links, marks external ones nofollow noopener', () => {
    const html = renderMarkdown('[a](https://example.org/x) [b](http://example.org) [c](/techniques/T1059/) [d](#top) [e](mailto:sec@example.org) [f](//cdn.example.org/x) <https://example.org/auto>');
    expect(html).toContain('<a href="https://example.org/x" rel="nofollow noopener">a</a>');
    expect(html).toContain('<a href="http://example.org" rel="nofollow noopener">b</a>');
    expect(html).toContain('<a href="/techniques/T1059/">c</a>');
    expect(html).toContain('<a href="#top">d</a>');
    expect(html).toContain('<a href="mailto:sec@example.org">e</a>');
    expect(html).toContain('<a href="//cdn.example.org/x" rel="nofollow noopener">f</a>');
    expect(html).toContain('<a href="https://example.org/auto" rel="nofollow noopener">https://example.org/auto</a>');
  });

  it('escapes attribute-breaking characters in URLs and titles', () => {
    const html = renderMarkdown('[x](https://example.org/"onmouseover="alert(1) "t\\"itle")');
    expectInert(html);
    expect(html).not.toContain('"onmouseover');
  });

  it('renders ordinary Markdown', () => {
    expect(renderMarkdown('# T\n\n*a* **b** `c<d>`\n\n- x\n- y')).toBe('<h1>T</h1>\n<p><em>a</em> <strong>b</strong> <code>c&lt;d&gt;</code></p>\n<ul>\n<li>x</li>\n<li>y</li>\n</ul>\n');
  });
});

describe('isSafeHref', () => {
  it.each(['https://a', 'HTTP://a', 'mailto:x@y', '/a/b', 'a/b:c', './x', '../x', '#f', '?q=1', '//host/x', 'T1059.html'])('accepts %j', (u) => {
    expect(isSafeHref(u)).toBe(true);
  });
  it.each(['javascript:alert(1)', ' JAVASCRIPT:x', 'data:text/html,x', 'vbscript:x', 'file:///x', 'ftp://x', 'jav%09ascript:x'])('refuses %j', (u) => {
    expect(isSafeHref(u)).toBe(false);
  });
});

describe('renderAttackDescription', () => {
  const references = [
    { source_name: 'Alpha 2024', url: 'https://example.org/alpha', description: 'Alpha, A. (2024). A paper.' },
    { source_name: 'Beta', description: 'Beta without URL.' },
    { source_name: 'Evil', url: 'javascript:alert(1)', description: 'Bad URL.' },
  ];

  it('numbers citations by first appearance and returns the references list', () => {
    const { html, citations } = renderAttackDescription({
      description: 'One.(Citation: Alpha 2024) Two.(Citation: Beta)(Citation: Alpha 2024)\n\nThree.(Citation: Missing Ref)',
      references,
    });
    expect(html).toBe(
      '<p>One.<sup class="citation"><a href="#cite-1">[1]</a></sup> Two.<sup class="citation"><a href="#cite-2">[2]</a></sup><sup class="citation"><a href="#cite-1">[1]</a></sup></p>\n' +
        '<p>Three.<sup class="citation"><a href="#cite-3">[3]</a></sup></p>\n',
    );
    expect(citations).toEqual([
      { n: 1, name: 'Alpha 2024', url: 'https://example.org/alpha', description: 'Alpha, A. (2024). A paper.', anchor: 'cite-1' },
      { n: 2, name: 'Beta', description: 'Beta without URL.', anchor: 'cite-2' },
      { n: 3, name: 'Missing Ref', description: '', anchor: 'cite-3' },
    ]);
  });

  it('drops unsafe reference URLs and uses the anchor prefix', () => {
    const { html, citations } = renderAttackDescription({ description: 'x(Citation: Evil)', references }, { idPrefix: 'd2' });
    expect(html).toContain('href="#d2-1"');
    expect(citations).toEqual([{ n: 1, name: 'Evil', description: 'Bad URL.', anchor: 'd2-1' }]);
  });

  it('escapes a hostile citation name and leaves it out of the HTML', () => {
    const { html, citations } = renderAttackDescription({ description: 'x (Citation: <script>) y (Citation: <img src=x onerror=alert(1)>)', references: [] });
    expectInert(html);
    expect(html).toBe('<p>x <sup class="citation"><a href="#cite-1">[1]</a></sup> y <sup class="citation"><a href="#cite-2">[2]</a></sup>&gt;)</p>\n');
    expect(citations.map((c) => c.name)).toEqual(['<script>', '<img src=x onerror=alert(1']);
  });

  it('escapes a hostile anchor prefix', () => {
    const { html } = renderAttackDescription({ description: '(Citation: A)', references: [] }, { idPrefix: '"><script>' });
    expectInert(html);
    expect(html).toContain('href="#&quot;&gt;&lt;script&gt;-1"');
  });

  it('keeps the HTML ATT&CK uses (<code>, <b>, <br>) and escapes the rest', () => {
    const { html } = renderAttackDescription({
      description: 'Run <code>reg save HKLM\\sam &lt;file&gt;</code>, see <b>Direct *mode*</b><br>next <username> <script>alert(1)</script> <i>x</i> <b>unclosed',
      references: [],
    });
    expectInert(html);
    expect(html).toBe(
      '<p>Run <code>reg save HKLM\\sam &lt;file&gt;</code>, see <strong>Direct <em>mode</em></strong><br>\n' +
        'next &lt;username&gt; &lt;script&gt;alert(1)&lt;/script&gt; &lt;i&gt;x&lt;/i&gt; &lt;b&gt;unclosed</p>\n',
    );
  });

  it('does not turn citations inside code into links', () => {
    const { html, citations } = renderAttackDescription({ description: '`(Citation: A)` and <code>(Citation: B)</code>', references: [] });
    expect(html).toBe('<p><code>(Citation: A)</code> and <code>(Citation: B)</code></p>\n');
    expect(citations).toEqual([]);
  });

  it('ignores forged placeholder characters in the input', () => {
    const { html, citations } = renderAttackDescription({ description: 'a \uE0000\uE001 b (Citation: A)', references: [] });
    expect(html).not.toContain('\uE000');
    expect(citations).toHaveLength(1);
  });

  it('rewrites attack.mitre.org technique links to our pages when asked', () => {
    const description = 'See [PowerShell](https://attack.mitre.org/techniques/T1059/001) and [Empire](https://attack.mitre.org/software/S0363).';
    const techniqueHref = (id: string) => `/techniques/${id.replace('.', '/')}/`;
    const { html } = renderAttackDescription({ description, references: [] }, { techniqueHref });
    expect(html).toContain('<a href="/techniques/T1059/001/">PowerShell</a>');
    expect(html).toContain('<a href="https://attack.mitre.org/software/S0363" rel="nofollow noopener">Empire</a>');
    const unsafe = renderAttackDescription({ description, references: [] }, { techniqueHref: () => 'javascript:alert(1)' });
    expectInert(unsafe.html);
    expect(renderAttackDescription({ description, references: [] }).html).toContain('href="https://attack.mitre.org/techniques/T1059/001" rel="nofollow noopener"');
  });
});

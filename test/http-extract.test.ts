/**
 * extractArticle: an article page's HTML → headline, subtitle and body text. Pure, no network.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractArticle, HTML_LIMITS, plainTextOf } from '../src/adapters/html/extract.js';
import { assertLinearTime } from './helpers/timing.js';
import { isStanceError } from '../src/core/errors.js';
import { TYPICAL_BODY, TYPICAL_HEADLINE, TYPICAL_HTML, TYPICAL_SUBTITLE } from './http-articles.js';

const page = (head: string, body: string) =>
  `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
const PARAS =
  '<article><p>The first paragraph of the story says what happened on Monday.</p><p>The second paragraph adds detail from a named source.</p></article>';

describe('extractArticle', () => {
  it('takes the headline from og:title before <h1> and <title>', () => {
    const a = extractArticle(
      page(
        '<title>Title tag</title><meta property="og:title" content="OG headline">',
        `<h1>H1 headline</h1>${PARAS}`,
      ),
    );
    assert.equal(a.headline, 'OG headline');
  });

  it('falls back to the first <h1>, then to <title>', () => {
    assert.equal(
      extractArticle(page('<title>Title tag</title>', `<h1>H1 headline</h1>${PARAS}`)).headline,
      'H1 headline',
    );
    assert.equal(extractArticle(page('<title>Title tag</title>', PARAS)).headline, 'Title tag');
  });

  it('takes the subtitle from og:description, else from a standfirst element', () => {
    assert.equal(
      extractArticle(
        page(
          '<meta property="og:title" content="H"><meta property="og:description" content="The description.">',
          PARAS,
        ),
      ).subtitle,
      'The description.',
    );
    const a = extractArticle(
      page(
        '<title>H</title>',
        `<header><h1>H</h1><p class="article__standfirst">Officials say the work will take a year</p></header>${PARAS}`,
      ),
    );
    assert.equal(a.subtitle, 'Officials say the work will take a year');
  });

  it('has no subtitle when the page has none', () => {
    assert.equal(extractArticle(page('<title>H</title>', PARAS)).subtitle, undefined);
  });

  it('keeps the article paragraphs and drops navigation, scripts, asides and footers', () => {
    const a = extractArticle(TYPICAL_HTML);
    assert.equal(a.headline, TYPICAL_HEADLINE);
    assert.equal(a.subtitle, TYPICAL_SUBTITLE);
    assert.equal(a.body, TYPICAL_BODY);
    for (const junk of ['Home', 'Most read', 'Riverside Courier', 'tracking'])
      assert.ok(!a.body.includes(junk), junk);
  });

  it('decodes entities and collapses whitespace', () => {
    const a = extractArticle(
      page(
        '<title>Fish &amp; chips &#8217;win&#8217;</title>',
        '<article><p>Line one\n   continues   here.</p><p>Caf&eacute; owners cheered.</p></article>',
      ),
    );
    assert.equal(a.headline, "Fish & chips 'win'");
    assert.equal(a.body, 'Line one continues here.\n\nCafé owners cheered.');
  });

  it('accepts a fragment without <html> or <body>', () => {
    const a = extractArticle(
      '<h1>Dam holds after storm</h1><div>Engineers said the dam held overnight.</div>',
    );
    assert.equal(a.headline, 'Dam holds after storm');
    assert.equal(a.body, 'Engineers said the dam held overnight.');
  });

  it('throws INPUT_EMPTY for empty HTML, a page without a headline, or a page without text', () => {
    for (const html of ['', '   ', page('', PARAS), page('<title>Only a title</title>', '')]) {
      assert.throws(
        () => extractArticle(html),
        (e: unknown) => isStanceError(e) && e.code === 'INPUT_EMPTY' && e.context.field === 'html',
        JSON.stringify(html.slice(0, 60)),
      );
    }
  });

  it('ignores remote images, scripts and stylesheets in the page', () => {
    const a = extractArticle(
      page(
        '<title>H</title><link rel="stylesheet" href="http://192.0.2.1/x.css"><script src="http://192.0.2.1/x.js"></script>',
        `<img src="http://192.0.2.1/x.png">${PARAS}`,
      ),
    );
    assert.ok(a.body.startsWith('The first paragraph'));
  });

  const nested = (depth: number, inner = '<p>The bridge opened on Monday, officials said.</p>') =>
    page('<title>Deep page</title>', `${'<div>'.repeat(depth)}${inner}${'</div>'.repeat(depth)}`);

  it('extracts a page of 2,000 nested <div>s (plain-text extraction) instead of hanging in Readability', () => {
    const a = extractArticle(nested(2_000));
    assert.equal(a.headline, 'Deep page');
    assert.equal(a.body, 'The bridge opened on Monday, officials said.');
  });

  it('takes time linear in the nesting depth of the page', () => {
    assertLinearTime('nested <div>s', (k) => nested(20_000 * k), extractArticle);
  });

  it('takes time linear in the number of elements of a wide page beyond the element limit', () => {
    const para = '<div><p>One more short paragraph of the page.</p></div>';
    assertLinearTime(
      'wide page',
      (k) => page('<title>Wide page</title>', para.repeat(HTML_LIMITS.maxElements * k)),
      extractArticle,
    );
  });

  it('takes time linear in the number of children of one element', () => {
    assertLinearTime(
      'many <',
      (k) => page('<title>Tags</title>', `<p>${'a <'.repeat(40_000 * k)}</p>`),
      extractArticle,
    );
  });

  it('keeps pages within the limits on Readability (navigation and footers dropped)', () => {
    const a = extractArticle(
      nested(HTML_LIMITS.maxDepth - 10, `<nav>Home | World</nav>${PARAS}<footer>Contact us</footer>`),
    );
    assert.ok(!a.body.includes('Home') && !a.body.includes('Contact'), a.body);
  });

  it('plain-text extraction keeps og:title, <h1> and <title> apart, skips scripts and comments, decodes entities', () => {
    const p = plainTextOf(
      '<head><meta property="og:title" content="OG &amp; title"><title>T</title><script>var x = "<p>no</p>";</script></head>' +
        '<body><h1>The <b>H1</b></h1><!-- <p>hidden</p> --><p>Caf&eacute; one.</p><p>Two<br>lines.</p><style>p{}</style></body>',
    );
    assert.deepEqual(p, {
      ogTitle: 'OG & title',
      title: 'T',
      h1: 'The H1',
      text: 'The H1\n\nCafé one.\n\nTwo\nlines.',
    });
  });
});

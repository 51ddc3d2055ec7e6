import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractArticle } from '../src/adapters/html/extract.js';

const STORY = [
  'Engineers closed the coastal motorway on Friday evening after waves broke over the sea wall near the harbour.',
  'The highways agency said the road would stay shut for the whole weekend while the wall is inspected.',
  'Drivers were sent inland through the hill villages, adding about forty minutes to the journey.',
];

describe('HTML article extraction without boilerplate', () => {
  it('leaves a cookie consent banner outside the article out of the body', () => {
    const html = `<!DOCTYPE html><html><head><title>Storm closes coastal motorway</title></head><body>
      <div class="cookie-banner"><p>We use cookies to improve your experience. By continuing to browse the site you accept our cookie policy and the use of cookies by our partners.</p><button>Accept all</button></div>
      <div id="consent" role="dialog"><p>Your privacy matters to us. Manage your consent preferences for advertising and analytics partners here.</p></div>
      <article><h1>Storm closes coastal motorway</h1>${STORY.map((p) => `<p>${p}</p>`).join('')}</article>
      </body></html>`;
    const a = extractArticle(html);
    assert.ok(a.body.includes('sea wall'));
    assert.ok(!/cookie|consent/i.test(a.body), a.body);
  });
  it("takes only the article element's paragraphs when Readability finds nothing", () => {
    const html = `<html><head><title>Storm closes coastal motorway</title></head><body>
      <p>Sign in to read more stories from our newsroom.</p>
      <article>${STORY.map((p) => `<p>${p}</p>`).join('')}</article></body></html>`;
    const a = extractArticle(html);
    assert.ok(a.body.includes('sea wall'));
    assert.ok(!a.body.includes('Sign in'), a.body);
  });
});

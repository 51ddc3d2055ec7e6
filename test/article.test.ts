import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArticle, parseArticleJson } from '../src/core/article.js';
import { normalizeText } from '../src/core/text/normalize.js';
import { StanceError } from '../src/core/errors.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof StanceError ? e.code : 'NOT_A_STANCE_ERROR';
  }
  return undefined;
}

describe('normalizeText', () => {
  it('turns CRLF and lone CR line ends into LF', () => {
    assert.equal(normalizeText('a\r\nb\rc'), 'a\nb\nc');
  });
  it('drops a leading byte-order mark', () => {
    assert.equal(normalizeText('\uFEFFHeadline'), 'Headline');
  });
  it('turns curly quotes and dashes into ASCII', () => {
    assert.equal(normalizeText('\u201CIt\u2019s done\u201D \u2014 she said'), '"It\'s done" - she said');
  });
  it('decodes named and numeric HTML entities', () => {
    assert.equal(
      normalizeText('Tom &amp; Jerry &#8217;s &#x201C;show&#x201D; &nbsp;x'),
      'Tom & Jerry \'s "show" x',
    );
  });
  it('keeps unknown entities as they are', () => {
    assert.equal(normalizeText('&notanentity; stays'), '&notanentity; stays');
  });
  it('keeps paragraph breaks but collapses runs of blank lines and spaces', () => {
    assert.equal(normalizeText('one  two\n\n\n\nthree   '), 'one two\n\nthree');
  });
  it('is idempotent', () => {
    const s = '\uFEFF\u201CA\u201D &amp; B\r\n\r\n\r\nC\u00A0 D';
    assert.equal(normalizeText(normalizeText(s)), normalizeText(s));
  });
});

describe('parseArticle', () => {
  it('takes the first non-empty line as the headline and the rest as the body', () => {
    const a = parseArticle(
      '\n\nCouncil approves library\n\nThe council voted on Monday. It was unanimous.\n',
    );
    assert.equal(a.headline, 'Council approves library');
    assert.equal(a.body, 'The council voted on Monday. It was unanimous.');
    assert.equal(a.subtitle, undefined);
  });

  it('treats a short second line without a full stop as the subtitle', () => {
    const a = parseArticle(
      'Council approves library\nThe vote was unanimous\n\nThe council voted on Monday.',
    );
    assert.equal(a.subtitle, 'The vote was unanimous');
    assert.equal(a.body, 'The council voted on Monday.');
  });

  it('treats a second line ending in a full stop as body text, not a subtitle', () => {
    const a = parseArticle('Council approves library\nThe council voted on Monday.\nIt was unanimous.');
    assert.equal(a.subtitle, undefined);
    assert.equal(a.body, 'The council voted on Monday.\nIt was unanimous.');
  });

  it('treats a second line of more than 30 words as body text', () => {
    const long = Array.from({ length: 31 }, (_, i) => `word${i}`).join(' ');
    const a = parseArticle(`Headline here\n${long}\nMore body.`);
    assert.equal(a.subtitle, undefined);
    assert.ok(a.body.startsWith('word0'));
  });

  it('does not take a lone second line as the subtitle when no body follows it', () => {
    const a = parseArticle('Headline here\nOnly one line of body');
    assert.equal(a.subtitle, undefined);
    assert.equal(a.body, 'Only one line of body');
  });

  it('normalises the text first (CRLF, BOM, curly quotes, entities)', () => {
    const a = parseArticle('\uFEFF\u201CBig\u201D news &amp; more\r\nA standfirst\r\n\r\nBody\u2019s text.');
    assert.equal(a.headline, '"Big" news & more');
    assert.equal(a.subtitle, 'A standfirst');
    assert.equal(a.body, "Body's text.");
  });

  it('handles a 3,000-word generated body', () => {
    const sentence = 'The committee met again on Tuesday and discussed the budget in detail.';
    const body = Array.from({ length: 250 }, () => sentence).join(' ');
    const words = body.split(/\s+/).length;
    assert.ok(words >= 3000, `generated ${words} words`);
    const a = parseArticle(`Budget talks continue\nNo deal yet\n\n${body}`);
    assert.equal(a.subtitle, 'No deal yet');
    assert.equal(a.body.split(/\s+/).length, words);
  });

  it('refuses empty input with INPUT_EMPTY', () => {
    assert.equal(
      code(() => parseArticle('')),
      'INPUT_EMPTY',
    );
    assert.equal(
      code(() => parseArticle(' \n\r\n\t\n')),
      'INPUT_EMPTY',
    );
  });

  it('refuses a headline without a body with INPUT_EMPTY naming the headline', () => {
    assert.throws(
      () => parseArticle('Just a headline\n\n'),
      (e: unknown) =>
        e instanceof StanceError && e.code === 'INPUT_EMPTY' && /Just a headline/.test(e.message),
    );
  });
});

describe('parseArticleJson', () => {
  it('accepts headline, body and an optional subtitle', () => {
    assert.deepEqual(parseArticleJson({ headline: 'H', body: 'B.' }), { headline: 'H', body: 'B.' });
    assert.deepEqual(parseArticleJson({ headline: 'H', subtitle: 'S', body: 'B.' }), {
      headline: 'H',
      subtitle: 'S',
      body: 'B.',
    });
  });

  it('normalises the fields', () => {
    const a = parseArticleJson({ headline: '\u201CH\u201D', body: 'a\r\nb' });
    assert.deepEqual(a, { headline: '"H"', body: 'a\nb' });
  });

  it('refuses a missing or non-string field with INPUT_FORMAT listing the fields found', () => {
    assert.throws(
      () => parseArticleJson({ title: 'H', body: 'B' }),
      (e: unknown) =>
        e instanceof StanceError && e.code === 'INPUT_FORMAT' && /found fields title, body/.test(e.message),
    );
    assert.equal(
      code(() => parseArticleJson({ headline: 3, body: 'B' })),
      'INPUT_FORMAT',
    );
    assert.equal(
      code(() => parseArticleJson(['H', 'B'])),
      'INPUT_FORMAT',
    );
    assert.equal(
      code(() => parseArticleJson(null)),
      'INPUT_FORMAT',
    );
  });

  it('refuses an empty headline or body with INPUT_EMPTY', () => {
    assert.equal(
      code(() => parseArticleJson({ headline: ' ', body: 'B' })),
      'INPUT_EMPTY',
    );
    assert.equal(
      code(() => parseArticleJson({ headline: 'H', body: '\n' })),
      'INPUT_EMPTY',
    );
  });
});

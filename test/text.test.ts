import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences } from '../src/core/text/sentences.js';
import { tokenize, contentStems, stem } from '../src/core/text/tokenize.js';

describe('splitSentences', () => {
  it('splits at full stops, question and exclamation marks followed by a capital', () => {
    assert.deepEqual(splitSentences('The dam broke. Was anyone hurt? Nobody! Officials said so.'), [
      'The dam broke.',
      'Was anyone hurt?',
      'Nobody!',
      'Officials said so.',
    ]);
  });
  it('does not split after titles, initials, dotted acronyms or month abbreviations', () => {
    assert.deepEqual(splitSentences('Mr. Lee met Dr. J. Ortiz in the U.S. Army base on Jan. 5. They talked.'), [
      'Mr. Lee met Dr. J. Ortiz in the U.S. Army base on Jan. 5.',
      'They talked.',
    ]);
  });
  it('treats every line break as a sentence end and drops blank lines', () => {
    assert.deepEqual(splitSentences('First line without stop\n\nSecond line'), ['First line without stop', 'Second line']);
  });
  it('keeps a closing quote with the sentence it ends', () => {
    assert.deepEqual(splitSentences('He said "it is over." Then he left.'), ['He said "it is over."', 'Then he left.']);
  });
  it('cuts a run-on of more than 80 words into pieces', () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    const parts = splitSentences(words);
    assert.ok(parts.length >= 3);
    assert.equal(parts.join(' '), words);
  });
});

describe('tokenize', () => {
  it('lower-cases, drops possessive s and joins contractions', () => {
    assert.deepEqual(tokenize("ISIS's fighters DIDN'T flee"), ['isis', 'fighters', 'didnt', 'flee']);
  });
  it('keeps letters of any script and digits', () => {
    assert.deepEqual(tokenize('Zürich 2014: São Paulo'), ['zürich', '2014', 'são', 'paulo']);
  });
  it('contentStems removes stop words but keeps negations', () => {
    assert.deepEqual(contentStems(tokenize('The report is not true')), ['report', 'not', 'true']);
  });
  it('stems inflections to one form', () => {
    assert.equal(stem('investigating'), stem('investigation').slice(0, stem('investigating').length));
    assert.equal(stem('claims'), stem('claimed'));
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitSentences } from '../src/core/text/sentences.js';
import { tokenize, contentStems, stem, MAX_STEM_LENGTH } from '../src/core/text/tokenize.js';
import { assertReadableText } from '../src/core/text/readable.js';
import { isStanceError } from '../src/core/errors.js';
import { createRandom } from '../src/core/model/random.js';
import { previousSplit } from '../scripts/lib/previous-splitter.js';
import { assertLinearTime } from './helpers/timing.js';

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
    assert.deepEqual(
      splitSentences('Mr. Lee met Dr. J. Ortiz in the U.S. Army base on Jan. 5. They talked.'),
      ['Mr. Lee met Dr. J. Ortiz in the U.S. Army base on Jan. 5.', 'They talked.'],
    );
  });
  it('treats every line break as a sentence end and drops blank lines', () => {
    assert.deepEqual(splitSentences('First line without stop\n\nSecond line'), [
      'First line without stop',
      'Second line',
    ]);
  });
  it('keeps a closing quote with the sentence it ends', () => {
    assert.deepEqual(splitSentences('He said "it is over." Then he left.'), [
      'He said "it is over."',
      'Then he left.',
    ]);
  });
  it('cuts a run-on of more than 80 words into pieces', () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    const parts = splitSentences(words);
    assert.ok(parts.length >= 3);
    assert.equal(parts.join(' '), words);
  });
  it('splits a long chain of abbreviations and initials only where a sentence ends', () => {
    assert.deepEqual(
      splitSentences('Dr. Smith met Gen. J. R. Doe (Ret.). Then Prof. Lee spoke! "Yes." U.S. troops left.'),
      ['Dr. Smith met Gen. J. R. Doe (Ret.).', 'Then Prof. Lee spoke!', '"Yes."', 'U.S. troops left.'],
    );
  });
  it('gives the same sentences as the previous regex splitter on random text made of the tricky parts', () => {
    const parts = [
      '.',
      '..',
      '!',
      '?',
      ' ',
      '  ',
      '"',
      "'",
      ')',
      '(',
      '[',
      ']',
      'Dr',
      'dr',
      'J',
      'U.S',
      'e.g',
      'Jan',
      'no',
      'The',
      'cat',
      '5',
      'É',
      'é',
      '\u00a0',
      '\t',
      '\n',
      'x.y',
      '𝐀',
      'Ünter',
      'etc',
      'sat',
    ];
    const random = createRandom(7);
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const len = 1 + Math.floor(random() * 30);
      for (let k = 0; k < len; k++) text += parts[Math.floor(random() * parts.length)] as string;
      assert.deepEqual(splitSentences(text), previousSplit(text), JSON.stringify(text));
    }
  });
  for (const [label, make] of [
    [
      'a run of full stops without spaces',
      (k: number) => `The bridge opened ${'.'.repeat(250_000 * k)} Then it closed.`,
    ],
    ['a run of ?! and closing quotes', (k: number) => `Really${'?!")'.repeat(200_000 * k)}x`],
    ['"Dr. Smith " repeated', (k: number) => 'Dr. Smith '.repeat(20_000 * k)],
    ['"J. " repeated', (k: number) => 'J. '.repeat(160_000 * k)],
    ['a long dotted acronym', (k: number) => `${'A.'.repeat(200_000 * k)} Next one.`],
  ] as const) {
    it(`splits ${label} in linear time`, () => {
      assertLinearTime(label, make, splitSentences);
    });
  }
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
  it('keeps a word longer than MAX_STEM_LENGTH as it is, even one of megabytes', () => {
    const long = 'bridge'.repeat(600_000);
    assert.equal(stem(long), long);
    assert.equal(stem('x'.repeat(MAX_STEM_LENGTH + 1)), 'x'.repeat(MAX_STEM_LENGTH + 1));
  });
});

describe('assertReadableText', () => {
  const codeOf = (text: string): string => {
    try {
      assertReadableText(text, 'body');
      return 'ok';
    } catch (e) {
      assert.ok(isStanceError(e));
      return e.code;
    }
  };
  it('refuses NUL-heavy text, as a UTF-16 file read as UTF-8 gives, naming the first control character', () => {
    const utf16 = [...'The bridge opened on Monday.'].map((c) => `${c}\u0000`).join('');
    assert.equal(codeOf(utf16), 'INPUT_ENCODING');
    assert.throws(() => assertReadableText(utf16, 'body'), /control characters .*U\+0000 at character 2/);
  });
  it('refuses text made mostly of control characters', () => {
    assert.equal(codeOf('\u0001\u0002\u0003\u001b[31m red \u0007'), 'INPUT_ENCODING');
  });
  it('accepts a short article carrying a few terminal escape sequences (the CLI strips them when printing)', () => {
    const esc = '\u001b';
    assert.equal(
      codeOf(
        `Bakery ${esc}[31mwins${esc}[0m bread prize\n\nA bakery won the prize.${esc}[2J The jury ${esc}]8;;http://x\u0007praised${esc}]8;;\u0007 its rye.\u0007`,
      ),
      'ok',
    );
  });
  it('accepts text with a stray control character, tabs and line breaks', () => {
    assert.equal(codeOf(`The bridge\topened\r\non Monday.\u0007 ${'Crowds cheered. '.repeat(3)}`), 'ok');
  });
});

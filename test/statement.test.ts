import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/core/create-checker.js';
import { alignSentences, prepareBody, prepareClaim } from '../src/core/features/extract.js';
import { boostAgree, ownVoiceStatement, STATEMENT_BOOST } from '../src/core/features/statement.js';
import { LABELS } from '../src/core/labels.js';
import type { Model } from '../src/core/model/model.js';

let model: Model;
before(async () => {
  model = await loadModel();
});

function states(headline: string, body: string): boolean {
  const claim = prepareClaim(headline, model.vocab);
  const prepared = prepareBody(body, model.vocab);
  return ownVoiceStatement(claim, prepared, alignSentences(claim, prepared));
}

const MUSEUM = 'Museum returns looted bronzes to Nigeria';
/** A news story under its own headline that the model alone reads as a near tie of agree and discuss. */
const MUSEUM_STORY = [
  'A London museum has returned 72 bronze artefacts looted by British soldiers more than a century ago to Nigeria.',
  'The Benin Bronzes were taken from the Kingdom of Benin, in what is now Nigeria, during a military raid in 1897.',
  'The museum said it was "the right thing to do" and that the objects had been handed over at a ceremony on Tuesday.',
  'Nigeria\'s culture minister said the return marked "a new chapter" in relations between the two countries.',
].join(' ');

const HOLDS: [string, string, string][] = [
  ['holds when the first sentence states a plain headline in the body’s own voice', MUSEUM, MUSEUM_STORY],
  [
    'holds when a news lead names its source with a plain speech verb ("…, police said")',
    'Teenager dies after being hit by car in Swansea',
    'A teenager has died after being hit by a car in Swansea, police said. The driver stopped at the scene.',
  ],
];

const HOLDS_NOT: [string, string, string][] = [
  [
    'does not hold when the first sentence hedges the claim ("may")',
    MUSEUM,
    'A London museum may return the looted bronzes to Nigeria next year. Talks continue.',
  ],
  [
    'does not hold when the first sentence attributes the claim to a report',
    MUSEUM,
    'A London museum has returned the looted bronzes to Nigeria, according to reports. The museum has not commented.',
  ],
  [
    'does not hold for a hedged headline ("reportedly")',
    'Museum reportedly returns looted bronzes to Nigeria',
    'A London museum has returned the looted bronzes to Nigeria. They were handed over on Tuesday.',
  ],
  [
    'does not hold for a negated headline',
    'Museum has not returned looted bronzes to Nigeria',
    'A London museum has returned the looted bronzes to Nigeria. They were handed over on Tuesday.',
  ],
  [
    'does not hold for a question headline',
    'Will the museum return the looted bronzes to Nigeria?',
    'A London museum has returned the looted bronzes to Nigeria. They were handed over on Tuesday.',
  ],
  [
    'does not hold when the first sentence carries too little of the headline',
    MUSEUM,
    'Nigeria has long asked for the return of artefacts taken in 1897. A London museum has returned the looted bronzes to Nigeria.',
  ],
  [
    'does not hold when the first sentence negates the claim',
    MUSEUM,
    'A London museum has not returned the looted bronzes to Nigeria. Talks have stalled.',
  ],
];

describe('own-voice statement rule', () => {
  for (const [behaviour, headline, body] of HOLDS) it(behaviour, () => assert.ok(states(headline, body)));
  for (const [behaviour, headline, body] of HOLDS_NOT)
    it(behaviour, () => assert.equal(states(headline, body), false));
});

describe('the checker with the statement rule', () => {
  it('turns a newsroom story the model alone reads as a near tie into agree, by the agree odds × e^boost', () => {
    const article = { headline: MUSEUM, body: MUSEUM_STORY };
    const off = createChecker(model, { statementRule: false }).check(article);
    const on = createChecker(model).check(article);
    assert.notEqual(off.label, 'agree', 'the model alone does not call it agree');
    assert.equal(on.label, 'agree');
    const expected = boostAgree(Float64Array.from(LABELS.map((l) => off.probabilities[l])));
    LABELS.forEach((l, k) =>
      assert.ok(Math.abs(on.probabilities[l] - (expected[k] as number)) < 1e-9, `${l} as boostAgree gives`),
    );
    assert.match(on.reason, /^Sentence 1 states the headline's claim as fact/);
    assert.ok(
      on.reason.endsWith(
        `The model alone reads the body as ${off.label === 'discuss' ? 'discussing' : 'disputing'} it; the body's first sentence states the headline's claim in its own voice, which turns the label.`,
      ),
      on.reason,
    );
  });

  it('says nothing of the rule where the model alone already reads the body as backing the headline', () => {
    const article = {
      headline: 'Heavy snow causes travel chaos across northern England',
      body: 'Heavy snow has caused travel chaos across northern England, with roads blocked and trains cancelled. Up to 20cm of snow fell overnight in parts of Cumbria.',
    };
    const off = createChecker(model, { statementRule: false }).check(article);
    assert.equal(off.label, 'agree', 'the model alone backs it');
    const on = createChecker(model).check(article);
    assert.equal(on.label, 'agree');
    assert.ok(on.probabilities.agree > off.probabilities.agree, 'the rule holds and raises agree');
    assert.doesNotMatch(on.reason, /turns the label/);
  });

  it('changes nothing where the rule does not hold', () => {
    const article = {
      headline: MUSEUM,
      body: 'A London museum may return the looted bronzes to Nigeria next year, according to reports. Talks continue.',
    };
    assert.deepEqual(
      createChecker(model).check(article).probabilities,
      createChecker(model, { statementRule: false }).check(article).probabilities,
    );
  });

  it('keeps the probabilities a distribution and multiplies the agree odds by e^boost', () => {
    const p = boostAgree(Float64Array.from([0.3, 0.05, 0.6, 0.05]));
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    const odds = (q: number): number => q / (1 - q);
    assert.ok(Math.abs(odds(p[0] as number) / odds(0.3) - Math.exp(STATEMENT_BOOST)) < 1e-9);
    assert.ok(
      Math.abs((p[2] as number) / (p[1] as number) - 12) < 1e-9,
      'the other labels keep their ratios',
    );
  });
});

import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/core/create-checker.js';
import { alignSentences, prepareBody, prepareClaim } from '../src/core/features/extract.js';
import {
  boostDisagree,
  CONTRADICTION_BOOST,
  ownVoiceContradiction,
} from '../src/core/features/contradiction.js';
import type { Model } from '../src/core/model/model.js';

let model: Model;
before(async () => {
  model = await loadModel();
});

/** The sentence the rule points at (its text), or undefined when the rule does not hold. */
function contradicting(headline: string, body: string): string | undefined {
  const claim = prepareClaim(headline, model.vocab);
  const prepared = prepareBody(body, model.vocab);
  const c = ownVoiceContradiction(claim, prepared, alignSentences(claim, prepared));
  return c === undefined ? undefined : prepared.sentences[c.sentence];
}

const FESTIVAL = 'Riverside music festival will go ahead this summer';
const CANCELLED =
  'The Riverside music festival has been cancelled this summer after the organisers lost their site. Ticket holders will get their money back within a month.';

describe('own-voice contradiction rule', () => {
  it('holds when the sentence most like a plain headline says, in its own voice, that it was called off', () => {
    assert.equal(
      contradicting(FESTIVAL, CANCELLED),
      'The Riverside music festival has been cancelled this summer after the organisers lost their site.',
    );
  });

  it('holds for a withdrawal word only this rule reads ("withheld")', () => {
    assert.match(
      contradicting(
        'Norway has delivered patrol boats to Estonia',
        'Norway has withheld the patrol boats from Estonia, its defence minister confirmed on Monday. Talks will continue next year.',
      ) ?? '',
      /withheld/,
    );
  });

  it('does not hold when the sentence hedges or attributes the withdrawal', () => {
    assert.equal(
      contradicting(
        FESTIVAL,
        'The Riverside music festival has reportedly been cancelled this summer. Ticket holders have not been told anything yet.',
      ),
      undefined,
    );
    assert.equal(
      contradicting(
        FESTIVAL,
        'Local radio says the Riverside music festival has been cancelled this summer. Ticket holders have not been told anything yet.',
      ),
      undefined,
    );
  });

  it('does not hold when the withdrawal is only in quoted speech', () => {
    assert.equal(
      contradicting(
        FESTIVAL,
        'The Riverside music festival this summer is "as good as cancelled", one neighbour told the council. The organisers expect 20,000 visitors.',
      ),
      undefined,
    );
  });

  it('does not hold for a headline that itself denies or negates', () => {
    assert.equal(
      contradicting('Riverside music festival will not go ahead this summer', CANCELLED),
      undefined,
    );
    assert.equal(
      contradicting('Organisers deny Riverside music festival is going ahead this summer', CANCELLED),
      undefined,
    );
  });

  it('does not hold for a question headline', () => {
    assert.equal(
      contradicting('Will the Riverside music festival go ahead this summer?', CANCELLED),
      undefined,
    );
  });

  it('does not read "found" as a reversal when the headline is not about a death, loss or capture', () => {
    assert.equal(
      contradicting(
        'Divers find Roman shipwreck off the Cornish coast',
        'Divers have found a Roman shipwreck off the Cornish coast, carrying hundreds of wine jars. The wreck lies 40 metres down.',
      ),
      undefined,
    );
  });

  it('does not read "no less than" or "did not have to" as a denial', () => {
    assert.equal(
      contradicting(
        'Seven climbers reach the summit of Mount Kenya in one day',
        'No less than seven climbers reached the summit of Mount Kenya in one day last week. It was a record for the mountain.',
      ),
      undefined,
    );
    assert.equal(
      contradicting(
        'Local baker wins national bread prize',
        'The local baker did not have to enter twice to win the national bread prize this year. She has baked in the town for 30 years.',
      ),
      undefined,
    );
  });

  it('does not hold when the contradicting sentence carries too little of the headline', () => {
    assert.equal(
      contradicting(
        'City council approves new tram line to the airport after long debate',
        'The airport cancelled forty flights. The weather was fine on Tuesday.',
      ),
      undefined,
    );
  });

  it('does not hold when the sentence quotes the headline as a claim', () => {
    assert.equal(
      contradicting(
        FESTIVAL,
        'The "Riverside music festival will go ahead this summer" posts were never true. Ticket sales have not started.',
      ),
      undefined,
    );
  });

  it('reads "denied reports that …" as a denial, not as attribution', () => {
    assert.match(
      contradicting(
        'Supermarket chain is buying the regional dairy',
        'The supermarket chain on Friday denied reports that it was buying the regional dairy. Shares in the dairy fell.',
      ) ?? '',
      /denied reports/,
    );
  });

  it('reads "called off" as a withdrawal', () => {
    assert.match(
      contradicting(
        'Orchestra plays free concert in the park on Sunday',
        'The orchestra has called off its free concert in the park on Sunday. It hopes to play in July.',
      ) ?? '',
      /called off/,
    );
  });

  it('does not read a withdrawal word inside a quotation', () => {
    assert.equal(
      contradicting(
        'Norway has delivered patrol boats to Estonia',
        'Norway has delivered the patrol boats to Estonia that critics called "withheld for far too long". Two more will follow.',
      ),
      undefined,
    );
  });
});

describe('the checker with the rule', () => {
  it('multiplies the disagree odds by e^boost where the rule holds, and only there', () => {
    const on = createChecker(model);
    const off = createChecker(model, { contradictionRule: false });
    const odds = (p: number): number => p / (1 - p);
    const withRule = on.check({ headline: FESTIVAL, body: CANCELLED });
    const without = off.check({ headline: FESTIVAL, body: CANCELLED });
    const ratio = odds(withRule.probabilities.disagree) / odds(without.probabilities.disagree);
    assert.ok(Math.abs(Math.log(ratio) - CONTRADICTION_BOOST) < 1e-9, `log odds ratio ${Math.log(ratio)}`);
    // Where the rule does not hold the two checkers agree exactly.
    const plain = {
      headline: FESTIVAL,
      body: 'The Riverside music festival will go ahead this summer on a new site by the river. Tickets go on sale on Friday.',
    };
    assert.deepEqual(on.check(plain).probabilities, off.check(plain).probabilities);
  });

  it('turns a plain headline to disagree when its best sentence says, in its own voice, that it did not happen', () => {
    const article = {
      headline: 'Council approves new football stadium by the river',
      body: 'The council has not approved the new football stadium by the river. A decision is expected in the spring.',
    };
    const v = createChecker(model).check(article);
    assert.equal(v.label, 'disagree');
    assert.match(v.reason, /^Sentence 1 denies the headline's claim \("not"\)/);
    assert.equal(v.evidence[0]?.number, 1);
    assert.notEqual(createChecker(model, { contradictionRule: false }).check(article).label, 'disagree');
  });

  it('names the contradicting sentence and word when the label stays agree', () => {
    const article = {
      headline: 'Orchestra plays free concert in the park on Sunday',
      body: 'The orchestra has called off its free concert in the park on Sunday because of the storm warning. It hopes to play later in the summer.',
    };
    const v = createChecker(model).check(article);
    if (v.label === 'disagree') assert.match(v.reason, /"called off"/);
    else
      assert.match(
        v.reason,
        /but sentence 1, which matches \d+% of the headline's key words, says in the body's own voice that it was reversed or did not happen \("called off"\): check that sentence/,
      );
    const first = v.evidence.find((e) => e.number === 1);
    assert.ok(first, 'sentence 1 is among the evidence');
    assert.ok(
      first.spans.some((x) => x.cue === 'reversal' && first.text.slice(x.start, x.end) === 'called off'),
      'the words "called off" are marked as a reversal',
    );
    // Without the rule nothing in the verdict points at the withdrawal.
    const plain = createChecker(model, { contradictionRule: false }).check(article);
    assert.doesNotMatch(plain.reason, /called off/);
  });

  it('keeps the probabilities a distribution', () => {
    const p = boostDisagree(Float64Array.from([0.7, 0.05, 0.2, 0.05]));
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok((p[1] as number) > 0.05 && (p[0] as number) < 0.7);
  });
});

import { describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import {
  FEATURE_NAMES,
  NUM_FEATURES,
  pairFeatures,
  prepareBody,
  prepareClaim,
} from '../src/core/features/extract.js';
import { STANCE_FEATURE_NAMES } from '../src/core/features/stance.js';
import { claimNegated, sentenceStances } from '../src/core/features/sentence-stance.js';
import type { Vocabulary } from '../src/core/features/vocabulary.js';
import { ANTONYM_FEATURE_NAMES, ANTONYMS_OF, antonymFeatures } from '../src/core/features/antonym.js';
import { ANTONYM_PAIRS } from '../src/core/features/antonyms.js';

const vocab: Vocabulary = { idf: new Map(), defaultIdf: 3, avgBodyLength: 200, dim: 0 };

function scores(headline: string, body: string) {
  const claim = prepareClaim(headline, vocab);
  const b = prepareBody(body, vocab);
  const { features, alignment } = pairFeatures(claim, b, vocab);
  return { stances: sentenceStances(claim, b, alignment), features };
}
const feature = (f: Float64Array, name: string): number =>
  f[FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number])] as number;

describe('sentence-level stance', () => {
  it('scores a sentence calling the claim a hoax as refuting, above agreeing', () => {
    const { stances } = scores(
      'Pop singer Lina Brandt dies in car crash',
      'Reports that pop singer Lina Brandt died in a car crash are a hoax. She is alive and well.',
    );
    const s = stances[0]!;
    assert.ok(s.disagree > 0.3, `disagree ${s.disagree}`);
    assert.ok(s.disagree > s.agree);
  });

  it('scores a plain restatement as agreeing and an attributed one as discussing', () => {
    const plain = scores(
      'Harbour council approves new tram line',
      'The harbour council approved the new tram line on Tuesday.',
    ).stances[0]!;
    const attributed = scores(
      'Harbour council approves new tram line',
      'The harbour council may have approved the new tram line, according to unnamed sources.',
    ).stances[0]!;
    assert.ok(plain.agree > plain.discuss && plain.agree > plain.disagree);
    assert.ok(attributed.discuss > attributed.agree);
  });

  it('reads a body negation as agreement when the headline is itself negated', () => {
    const negated = scores(
      'Striker Tomas Vik will not join Harbour United',
      'Striker Tomas Vik will not join Harbour United this summer.',
    ).stances[0]!;
    const plain = scores(
      'Striker Tomas Vik will join Harbour United',
      'Striker Tomas Vik will not join Harbour United this summer.',
    ).stances[0]!;
    assert.ok(negated.agree > negated.disagree);
    assert.ok(plain.disagree > plain.agree);
  });

  it('gives sentences without claim words or a neighbour that has them no stance', () => {
    const { stances } = scores(
      'Harbour council approves new tram line',
      'The harbour council approved the new tram line. Weather was mild. Gardens bloomed early. Schools reopened after the break.',
    );
    assert.deepEqual(stances[3], { agree: 0, disagree: 0, discuss: 0 });
  });
});

describe('stance features', () => {
  it('are appended to the feature vector, finite, and see the strongest refuting sentence', () => {
    assert.equal(NUM_FEATURES, FEATURE_NAMES.length);
    assert.ok(STANCE_FEATURE_NAMES.every((n) => FEATURE_NAMES.includes(n)));
    const refuted = scores(
      'Pop singer Lina Brandt dies in car crash',
      'Pop singer Lina Brandt was in the news this week. The story that Lina Brandt died in a car crash is false.',
    ).features;
    const backed = scores(
      'Pop singer Lina Brandt dies in car crash',
      'Pop singer Lina Brandt was in the news this week. Lina Brandt died in a car crash on Sunday.',
    ).features;
    assert.ok([...refuted].every(Number.isFinite));
    assert.ok(feature(refuted, 'stance.sent_max_disagree') > feature(backed, 'stance.sent_max_disagree'));
    assert.ok(feature(backed, 'stance.sent_max_agree') > 0);
  });

  it("reads the headline's own hedging and negation", () => {
    const f = scores('No, the mayor did not resign, say reports', 'The mayor is in office.').features;
    assert.equal(feature(f, 'stance.claim_no_comma'), 1);
    assert.ok(feature(f, 'stance.claim_report') >= 1);
    assert.ok(feature(f, 'stance.claim_neg') >= 1);
  });

  it('counts each refuting phrase of a sentence once, wherever it stands ("not true" twice, "is not", "did not")', () => {
    const f = scores('Mayor resigns', 'The mayor did not resign, it is not true, it is not true.').features;
    // No refuting word: the sentence's refutation is its three phrases, at alignment 1.
    assert.equal(feature(f, 'stance.max_refute_sent'), 3);
    const none = scores('Mayor resigns', 'The mayor did resign, it is true.').features;
    assert.equal(feature(none, 'stance.max_refute_sent'), 0);
  });

  it("counts each kind of the body's own cue words per 100 tokens, leaving quoted speech out", () => {
    // 21 tokens: "hoax" and "fake" (debunk), "denied" (deny), "cancelled" (withdraw), "may" (modal);
    // the quoted "hoax" and "denied" are someone else's voice.
    const body =
      'The fake story was a hoax. The mayor denied it. The parade was cancelled. It may "a hoax he denied" return.';
    const f = scores('Mayor cancels the parade', body).features;
    const per100 = 100 / 21;
    assert.equal(feature(f, 'stance.body_debunk_rate'), 2 * per100);
    assert.equal(feature(f, 'stance.body_deny_rate'), 1 * per100);
    assert.equal(feature(f, 'stance.body_withdraw_rate'), 1 * per100);
    assert.equal(feature(f, 'stance.body_modal_rate'), 1 * per100);
  });
});

/** The six antonym features of a pair, by name (computed as the stance group would call them). */
function antonymValues(headline: string, body: string): (name: string) => number {
  const claim = prepareClaim(headline, vocab);
  const b = prepareBody(body, vocab);
  const { alignment } = pairFeatures(claim, b, vocab);
  let best = -1;
  for (let k = 0; k < alignment.length; k++) if (best < 0 || alignment[k]! > alignment[best]!) best = k;
  const out = new Float64Array(ANTONYM_FEATURE_NAMES.length);
  antonymFeatures(claim, b.info, alignment, best, claimNegated(claim), out, 0);
  return (name) => out[ANTONYM_FEATURE_NAMES.indexOf(name as (typeof ANTONYM_FEATURE_NAMES)[number])]!;
}

describe('antonym features (model v4 candidate, not in the shipped feature vector)', () => {
  it('derive a compact list of common WordNet antonyms, both ways round', () => {
    assert.ok(ANTONYM_PAIRS.length > 200 && ANTONYM_PAIRS.length < 1000, `${ANTONYM_PAIRS.length} pairs`);
    assert.ok(ANTONYMS_OF.get('dead')?.includes('aliv'));
    assert.ok(ANTONYMS_OF.get('aliv')?.includes('dead'));
    assert.ok(ANTONYMS_OF.get('reject')?.includes('accept'));
  });

  it('ship exactly the list scripts/make-antonyms.ts derives from WordNet (no hand edits)', () => {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../scripts/make-antonyms.ts', import.meta.url)), '--check'],
      { encoding: 'utf8' },
    );
    assert.match(out, /is up to date/);
  });

  it('count a body word whose antonym is a headline word in the best-aligned sentence', () => {
    const features = antonymValues(
      'Pop singer Lina Brandt found dead at her home',
      'Pop singer Lina Brandt is alive at her home, her manager said on Sunday.',
    );
    assert.equal(features('stance.antonym_best'), 1);
    assert.ok(features('stance.antonym_aligned') > 0.3);
    assert.ok(features('stance.antonym_near') > 0);
    assert.equal(features('stance.polarity_flip'), -1);
  });

  it('do not count an antonym when the sentence also uses the headline word itself', () => {
    const features = antonymValues(
      'Harbour council rejects new tram line',
      'The harbour council rejected the new tram line it had accepted in May.',
    );
    assert.equal(features('stance.antonym_best'), 0);
    assert.equal(features('stance.antonym_count'), 0);
    assert.equal(features('stance.polarity_flip'), 1);
  });

  it('leave antonyms inside quotation marks out of the own-voice count', () => {
    const quoted = antonymValues(
      'Harbour council rejects new tram line',
      'The harbour council vote on the tram line came after a mayor said "we accepted it long ago".',
    );
    const own = antonymValues(
      'Harbour council rejects new tram line',
      'The harbour council accepted the new tram line on Tuesday.',
    );
    assert.ok(quoted('stance.antonym_count') > 0);
    assert.equal(quoted('stance.antonym_own'), 0);
    assert.ok(own('stance.antonym_own') > 0);
  });

  it('flip the polarity once for a negated headline over a plain restatement of its event', () => {
    const features = antonymValues(
      'Striker Tomas Vik will not join Harbour United',
      'Striker Tomas Vik will join Harbour United this summer.',
    );
    assert.equal(features('stance.polarity_flip'), -1);
    const agreeing = antonymValues(
      'Striker Tomas Vik will not join Harbour United',
      'Striker Tomas Vik will not join Harbour United this summer.',
    );
    assert.equal(agreeing('stance.polarity_flip'), 1);
  });

  it('are all zero for a body that never carries the headline words', () => {
    const features = antonymValues(
      'Pop singer Lina Brandt found dead at her home',
      'The bakery on Mill Street sells bread that stays fresh and alive with flavour.',
    );
    for (const name of ANTONYM_FEATURE_NAMES) assert.equal(features(name), 0, name);
  });
});

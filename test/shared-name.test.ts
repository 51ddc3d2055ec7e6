/**
 * The shared-name rule (src/core/features/shared-name.ts): a body that shares one name with the
 * headline and none of what the headline says about it tells another story. Texts written for the
 * project, read with the shipped model's vocabulary and word vectors.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/core/create-checker.js';
import { prepareBody, prepareClaim } from '../src/core/features/extract.js';
import {
  decideUnrelated,
  MAX_SOFT_SHARE,
  MIN_OTHER_WORDS,
  NEAR_SYNONYM,
  SOFT_MATCH,
  sharedNameOnly,
  type SharedNameSettings,
} from '../src/core/features/shared-name.js';
import { liftAbove, LABELS } from '../src/core/labels.js';
import type { Model } from '../src/core/model/model.js';

let model: Model;
before(async () => {
  model = await loadModel();
});

const sharesOnly = (headline: string, body: string, settings?: SharedNameSettings): string | undefined =>
  sharedNameOnly(prepareClaim(headline, model.vocab), prepareBody(body, model.vocab), model.vocab, settings)
    ?.name;

const DIESEL = 'Harwick will ban diesel cars from its city centre from 2027';
const BAKERY =
  "A family bakery opened on Harwick's high street on Thursday in the building that was a bank for more than a century. The owners, who have run a market stall for ten years, said they had queues from seven in the morning. The shop employs eight people.";
const DIESEL_STORY =
  'Harwick city council voted on Tuesday to ban diesel cars from the city centre from January 2027. Councillors approved the plan by 34 votes to 11. Drivers who enter will be fined.';

describe('the shared-name rule', () => {
  it('holds for another story of the same town, naming the town', () => {
    assert.equal(sharesOnly(DIESEL, BAKERY), 'Harwick');
  });

  it('holds for another story of the same person, naming the whole name as the headline writes it', () => {
    assert.equal(
      sharesOnly(
        'Senator Ellen Marsh resigns over expenses claims',
        'Senator Ellen Marsh visited a flood defence project on the river on Friday and praised the engineers who built it. The wall protects about 400 homes.',
      ),
      'Senator Ellen Marsh',
    );
  });

  it('does not hold for the headline’s own story, which uses its other words', () => {
    assert.equal(sharesOnly(DIESEL, DIESEL_STORY), undefined);
  });

  it('does not hold when the body shares two names: two people or places in common are usually one story', () => {
    const body =
      'Anna Kowalski scored twice as Dunmore Rovers won the cup final on Saturday. The crowd of 9,000 sang her name.';
    assert.equal(
      sharesOnly('Anna Kowalski leaves Dunmore Rovers after losing captaincy row', body),
      undefined,
    );
    // The same body under a headline that names only one of them: another story.
    assert.equal(sharesOnly('Dunmore Rovers fined after losing captaincy row', body), 'Dunmore Rovers');
  });

  it('does not hold when the body says the headline’s telling words in other words', () => {
    // "abducted" for "kidnapped", "discovered unharmed" for "found safe" (word vectors): a related
    // report, not another story; without the word vectors' test the rule would hold.
    const headline = 'Police find kidnapped toddler in Kellerby';
    const body =
      'A two-year-old girl abducted from a park in Kellerby on Sunday has been discovered unharmed in a neighbouring village.';
    assert.equal(sharesOnly(headline, body), undefined);
    const exactOnly = {
      minOthers: MIN_OTHER_WORDS,
      softMatch: SOFT_MATCH,
      maxSoftShare: Infinity,
      nearSynonym: Infinity,
    };
    assert.equal(sharesOnly(headline, body, exactOnly), 'Kellerby');
    assert.ok(MAX_SOFT_SHARE < 1 && NEAR_SYNONYM < 1);
  });

  it('does not count numbers as words the body uses ("2,000" and "3,000" share "000")', () => {
    const c = prepareClaim('Ravensby council cuts 2,000 library hours as budget shrinks', model.vocab);
    const b = prepareBody(
      'Ravensby Rovers drew 3,000 fans to their first home match of the season on Saturday. The club thanked volunteers.',
      model.vocab,
    );
    assert.equal(sharedNameOnly(c, b, model.vocab)?.name, 'Ravensby');
  });

  it('needs at least two other words in the headline', () => {
    assert.equal(sharesOnly('Harwick celebrates', BAKERY), undefined);
  });
});

describe('the checker with the shared-name rule', () => {
  it('calls a headline over another story of the same town unrelated and says why', () => {
    const v = createChecker(model).check({ headline: DIESEL, body: BAKERY });
    assert.equal(v.label, 'unrelated');
    assert.match(v.reason, /shares only the name "Harwick" with the headline/);
  });

  it('leaves the model’s own probabilities when switched off', () => {
    const on = createChecker(model).check({ headline: DIESEL, body: BAKERY });
    const off = createChecker(model, { sharedNameRule: false }).check({ headline: DIESEL, body: BAKERY });
    assert.ok(off.probabilities.unrelated < on.probabilities.unrelated);
    assert.doesNotMatch(off.reason, /shares only the name/);
  });

  it('keeps the headline’s own story related', () => {
    const v = createChecker(model).check({ headline: DIESEL, body: DIESEL_STORY });
    assert.equal(v.label, 'agree');
  });
});

describe('deciding a label after the model', () => {
  it('raises unrelated to the top, just above the label the model preferred, keeping the others’ ratios', () => {
    const p = decideUnrelated(Float64Array.from([0.7, 0.02, 0.26, 0.02]));
    const u = LABELS.indexOf('unrelated');
    assert.equal(LABELS[p.indexOf(Math.max(...p))], 'unrelated');
    assert.ok(Math.abs((p[u] as number) / (p[0] as number) - 1) < 1e-5);
    assert.ok(Math.abs((p[2] as number) / (p[0] as number) - 0.26 / 0.7) < 1e-12);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  });

  it('leaves probabilities whose top label is already the one asked for', () => {
    const p = Float64Array.from([0.1, 0.6, 0.2, 0.1]);
    assert.deepEqual([...liftAbove(p, 1)], [0.1, 0.6, 0.2, 0.1]);
  });
});

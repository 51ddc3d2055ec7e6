import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { encodeModel, decodeModel, type Model } from '../src/core/model/model.js';
import { createScorer } from '../src/core/model/scorer.js';
import { pairFeatures, prepareBody, prepareClaim } from '../src/core/features/extract.js';
import { fitNeuralNorm, neuralInputSize } from '../src/core/features/neural-inputs.js';
import { trainMlp } from '../src/core/model/mlp.js';
import { isStanceError } from '../src/core/errors.js';
import { NUM_LABELS } from '../src/core/labels.js';

describe('the blended scorer', () => {
  let tiny: Model;
  let withMlp: Model;
  before(async () => {
    tiny = await loadModel('test/fixtures/tiny.model');
    const F = tiny.featureNames.length;
    const norm = fitNeuralNorm([new Float64Array(F), new Float64Array(F).fill(1)], { dim: tiny.vocab.dim });
    const rows = [new Float32Array(neuralInputSize(norm)), new Float32Array(neuralInputSize(norm)).fill(1)];
    const net = trainMlp(rows, Int32Array.from([0, 3]), NUM_LABELS, undefined, {
      hidden: 4,
      epochs: 2,
      seed: 1,
    });
    withMlp = { ...tiny, mlp: { weight: 0.5, net, norm } };
  });

  const pair = (m: Model) => {
    const claim = prepareClaim('Cycle bridge opens in Nordhavn', m.vocab);
    const body = prepareBody('The cycle bridge opened in Nordhavn on Saturday. Crowds cheered.', m.vocab);
    const { features, alignment } = pairFeatures(claim, body, m.vocab);
    return { claim, body, features, alignment };
  };

  it("adds the neural logits times the blend weight to the trees' scores", () => {
    const p = pair(withMlp);
    const trees = createScorer(tiny)(p.features, p.claim, p.body, p.alignment);
    const blended = createScorer(withMlp)(p.features, p.claim, p.body, p.alignment);
    const half = createScorer({ ...withMlp, mlp: { ...withMlp.mlp!, weight: 0.25 } })(
      p.features,
      p.claim,
      p.body,
      p.alignment,
    );
    for (let k = 0; k < NUM_LABELS; k++) {
      // score(w) = trees + w·logits, so score(0.5) − trees = 2·(score(0.25) − trees)
      assert.ok(Math.abs(blended[k]! - trees[k]! - 2 * (half[k]! - trees[k]!)) < 1e-9);
    }
  });

  it('survives a round trip through the model file unchanged', () => {
    const back = decodeModel(JSON.parse(JSON.stringify(encodeModel(withMlp))));
    const p = pair(withMlp);
    assert.deepEqual(
      createScorer(back)(p.features, p.claim, p.body, p.alignment),
      createScorer(withMlp)(p.features, p.claim, p.body, p.alignment),
    );
  });

  it('refuses a model file whose neural weights have the wrong size', () => {
    const doc = JSON.parse(JSON.stringify(encodeModel(withMlp))) as { mlp: { hidden: number } };
    doc.mlp.hidden += 1;
    assert.throws(
      () => decodeModel(doc),
      (e: unknown) => isStanceError(e) && e.code === 'MODEL_INVALID',
    );
  });
});

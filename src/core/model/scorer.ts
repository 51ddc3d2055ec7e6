/**
 * Raw class scores of a pair from a model's learners: the trees' scores plus, when the model has
 * one, the neural learner's logits times its blend weight. Used by the checker and by training
 * (out-of-fold scores), so both score pairs the same way. Pure.
 */
import { NUM_LABELS } from '../labels.js';
import { compileEnsemble, predictScores } from './gbdt.js';
import { mlpScores } from './mlp.js';
import { neuralInput, neuralInputSize } from '../features/neural-inputs.js';
import type { BodyFeatures, ClaimFeatures } from '../features/extract.js';
import type { Model } from './model.js';

/**
 * Scores pairs with one model; reuses its buffers (not re-entrant). `vecSims`, when given, are
 * pairFeatures' (saves computing them again).
 */
export type Scorer = (
  features: ArrayLike<number>,
  claim: ClaimFeatures,
  body: BodyFeatures,
  alignment: ArrayLike<number>,
  out?: Float64Array,
  vecSims?: ArrayLike<number>,
) => Float64Array;

/** Builds the scorer of a model (compiles its trees once). */
export function createScorer(model: Pick<Model, 'ensemble' | 'mlp'>): Scorer {
  const trees = compileEnsemble(model.ensemble);
  const mlp = model.mlp;
  const input = mlp ? new Float32Array(neuralInputSize(mlp.norm)) : undefined;
  const logits = new Float64Array(NUM_LABELS);
  return (features, claim, body, alignment, out = new Float64Array(NUM_LABELS), vecSims) => {
    predictScores(trees, features, out);
    if (mlp && input) {
      mlpScores(mlp.net, neuralInput(claim, body, features, alignment, mlp.norm, input, vecSims), logits);
      for (let k = 0; k < NUM_LABELS; k++) out[k] = (out[k] as number) + mlp.weight * (logits[k] as number);
    }
    return out;
  };
}

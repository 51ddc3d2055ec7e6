/**
 * How flat is the calibration's objective around the biases it picks? Computes the shipped
 * recipe's out-of-fold scores (4 claim-disjoint folds, as `trainCalibrated` does), fits the
 * biases as the recipe does, then moves one class's bias at a time over a grid with the others
 * held at the fitted values and prints the objective (macro-F1 + FNC), FNC and macro-F1 at each
 * step (docs/MODEL.md, "Model v4 candidate"). Training data only: `claim` is the claim split's
 * train part, `all` the FNC-1 training file (what `npm run train` fits on).
 *
 *   node --import tsx scripts/bias-landscape.ts [claim|all]
 */
import { join } from 'node:path';
import { DATA_DIR, embeddings, loadSplits } from './lib/experiment.js';
import { readTrainingPairs } from '../src/adapters/fs/fnc-csv.js';
import { outOfFoldScores, type TrainingPair } from '../src/core/train/train.js';
import { decide, decisionObjective, fitBias } from '../src/core/train/calibrate.js';
import { evaluate } from '../src/core/eval/evaluate.js';
import { LABELS, NUM_LABELS } from '../src/core/labels.js';

const which = process.argv[2] ?? 'claim';
if (which !== 'claim' && which !== 'all') throw new Error(`expected "claim" or "all", found "${which}"`);
const splits = await loadSplits();
const pairs: TrainingPair[] =
  which === 'claim'
    ? splits.claimTrain
    : await readTrainingPairs(join(DATA_DIR, 'train_stances.csv'), splits.bodies);
const { scores, gold } = outOfFoldScores(pairs, splits.bodies, {
  seed: 1,
  embeddings: await embeddings(),
  onProgress: (phase, d, t) => {
    if (d === t) console.error(phase);
  },
});
const bias = fitBias(scores, gold);
console.log(
  `${which}: ${scores.length} out-of-fold rows; fitted biases ${bias.join(' / ')} (${LABELS.join(', ')})`,
);

// The same fit for objectives that weigh macro-F1 more than the FNC score (w × macro-F1 + FNC):
// where the biases land, and what each gives.
for (const w of [1, 1.5, 2, 3]) {
  const b = fitBias(scores, gold, (g, p) => {
    const m = evaluate({ gold: g, predicted: p });
    return w * m.macroF1 + m.fnc;
  });
  const m = evaluate({ gold, predicted: decide(scores, b) });
  const f1 = LABELS.map((l) => m.perClass[l].f1.toFixed(3)).join(' / ');
  console.log(
    `objective ${w} × macro-F1 + FNC: biases ${b.join(' / ')}; FNC ${m.fnc.toFixed(4)}, macro-F1 ${m.macroF1.toFixed(4)}, F1 ${f1}`,
  );
}

for (let c = 0; c < NUM_LABELS - 1; c++) {
  console.log(`${LABELS[c] as string} bias (others as fitted): bias  objective  FNC  macro-F1`);
  for (let step = -6; step <= 6; step++) {
    const b = [...bias];
    b[c] = step / 4;
    const predicted = decide(scores, b);
    const m = evaluate({ gold, predicted });
    console.log(
      `  ${(step / 4).toFixed(2).padStart(5)}  ${decisionObjective(gold, predicted).toFixed(4)}  ${m.fnc.toFixed(4)}  ${m.macroF1.toFixed(4)}`,
    );
  }
}

/**
 * One run of the shipped recipe with options changed, for experiments (docs/MODEL.md): trains on
 * the claim split's train part, scores its dev part, optionally saves the model.
 *
 *   node --import tsx scripts/try.ts '{"classWeights":[2,8,1.2,1]}' NAME [MODEL_OUT]
 */
import { loadSplits, embeddings, summary } from './lib/experiment.js';
import { trainCalibrated, type CalibratedTrainOptions } from '../src/core/train/train.js';
import { createChecker } from '../src/index.js';
import { evaluateChecker } from '../src/core/eval/evaluate-checker.js';
import { saveModel } from '../src/adapters/fs/model-file.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as CalibratedTrainOptions;
const splits = await loadSplits();
const t = Date.now();
const model = trainCalibrated(splits.claimTrain, splits.bodies, {
  seed: 1,
  embeddings: await embeddings(),
  ...opts,
});
const m = evaluateChecker(createChecker(model), splits.claimDev, splits.bodies);
if (process.argv[4]) await saveModel(model, process.argv[4]);
console.log(
  `${process.argv[3] ?? 'run'} ${JSON.stringify(opts)} ${summary(m)} (${Math.round((Date.now() - t) / 1000)} s)`,
);
console.log(`confusion (rows gold): ${JSON.stringify(m.confusion)}`);

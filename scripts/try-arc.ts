/**
 * Experiment (docs/MODEL.md, "what did not work"): the recipe trained on the claim split's train
 * part plus ARC as a second domain (folds 1–3 of ARC's training part at sample weight W, never
 * used for calibration), scored on the claim split's dev part and on the project's ARC dev set
 * (fold 0).
 *
 *   node --import tsx scripts/try-arc.ts W ['{"option":…}'] [MODEL_OUT]
 */
import { loadSplits, embeddings, summary } from './lib/experiment.js';
import { arcDevData } from './lib/arc-dev-data.js';
import { trainCalibrated, type CalibratedTrainOptions } from '../src/core/train/train.js';
import { createChecker } from '../src/index.js';
import { evaluateChecker } from '../src/core/eval/evaluate-checker.js';
import { saveModel } from '../src/adapters/fs/model-file.js';

const w = Number(process.argv[2] ?? '0.3');
const opts = JSON.parse(process.argv[3] ?? '{}') as CalibratedTrainOptions;
const splits = await loadSplits();
const arc = await arcDevData();
const bodies = new Map(splits.bodies);
for (const [id, text] of arc.bodies) bodies.set(`arc:${id}`, text);
const extra = w > 0 ? arc.rest.map((p) => ({ ...p, bodyId: `arc:${p.bodyId}`, weight: w })) : [];
const t = Date.now();
const model = trainCalibrated(splits.claimTrain, bodies, {
  seed: 1,
  embeddings: await embeddings(),
  extraPairs: extra,
  ...opts,
});
const checker = createChecker(model);
const m = evaluateChecker(checker, splits.claimDev, splits.bodies);
const a = evaluateChecker(checker, arc.dev, arc.bodies);
console.log(
  `arc w=${w} ${JSON.stringify(opts)} claim dev: ${summary(m)} (${Math.round((Date.now() - t) / 1000)} s)`,
);
console.log(`arc w=${w} ARC dev: ${summary(a)}`);
console.log(JSON.stringify({ claimConfusion: m.confusion, arcConfusion: a.confusion }));
if (process.argv[4]) await saveModel(model, process.argv[4]);

/**
 * ARC cross-domain figures (issue 7 item 4, docs/MODEL.md): ARC's training part (reader comments,
 * ../shared/data/arc) is cut into 4 claim-disjoint folds (seed 1, as in training); fold 0 is this
 * project's own ARC dev set. Scores a model file on it (default: the shipped model).
 *
 *   node --import tsx scripts/arc-dev.ts [--model PATH] [--json]
 */
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/index.js';
import { evaluateChecker } from '../src/core/eval/evaluate-checker.js';
import { summary } from './lib/experiment.js';
import { arcDevData } from './lib/arc-dev-data.js';

const argv = process.argv.slice(2);
const modelPath = argv.includes('--model') ? argv[argv.indexOf('--model') + 1] : undefined;
const { bodies, dev } = await arcDevData();
const model = await loadModel(modelPath);
const m = evaluateChecker(createChecker(model), dev, bodies);
if (argv.includes('--json')) console.log(JSON.stringify(m));
else {
  console.log(
    `ARC dev (fold 0 of 4 claim-disjoint folds of ARC train, ${m.pairs} pairs), model ${model.card.name} ${model.card.version} (${model.card.trainedAt}): ${summary(m)}`,
  );
  console.log(
    `confusion (rows gold, columns predicted; agree disagree discuss unrelated): ${JSON.stringify(m.confusion)}`,
  );
}

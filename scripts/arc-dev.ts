/**
 * ARC cross-domain figures (issue 7 item 4, docs/MODEL.md): ARC's training part (reader comments,
 * ../shared/data/arc) is cut into 4 claim-disjoint folds (seed 1, as in training); fold 0 is this
 * project's own ARC dev set. Scores a model file on it (default: the shipped model).
 *
 *   node --import tsx scripts/arc-dev.ts [--model PATH] [--json]
 */
import { join } from 'node:path';
import { readBodies, readStances } from '../src/adapters/fs/fnc-csv.js';
import { loadModel } from '../src/adapters/fs/model-file.js';
import { createChecker } from '../src/core/create-checker.js';
import { evaluateChecker } from '../src/core/eval/evaluate-checker.js';
import { claimFolds } from '../src/core/train/folds.js';
import { DATA_DIR, summary } from './lib/experiment.js';
import type { Label } from '../src/core/labels.js';

/** The ARC dev set: fold 0 of 4 claim-disjoint folds of ARC's training part (unrelated pairs whose headline and body fall in different folds are left out). */
export async function arcDev(): Promise<{
  bodies: Map<string, string>;
  dev: { headline: string; bodyId: string; label: Label }[];
  rest: { headline: string; bodyId: string; label: Label }[];
}> {
  const dir = join(DATA_DIR, '..', 'arc');
  const bodies = await readBodies(join(dir, 'arc_bodies.csv'));
  const pairs = (await readStances(join(dir, 'arc_stances_train.csv'), { bodies, stance: 'required' })).map(
    (r) => ({ headline: r.headline, bodyId: r.bodyId, label: r.stance as Label }),
  );
  const folds = claimFolds(pairs, 4, 1);
  return {
    bodies,
    dev: pairs.filter((_, i) => folds[i] === 0),
    rest: pairs.filter((_, i) => folds[i] !== 0 && folds[i] !== -1),
  };
}

const argv = process.argv.slice(2);
const modelPath = argv.includes('--model') ? argv[argv.indexOf('--model') + 1] : undefined;
const { bodies, dev } = await arcDev();
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

/**
 * A model that has not seen the claim split's DEV part, for measuring the corpus on it honestly
 * (scripts/audit-proxy.ts, `npm run bench:corpus` with STANCECHECK_MODEL): one model trained on the
 * claim split's TRAIN pairs with word vectors (GloVe, as `train` uses them), without the calibration
 * folds of `stancecheck train` (a fifth of its time); it reuses the shipped model's calibration.
 *
 *   nice -n 5 node --import tsx scripts/train-split-model.ts [../shared/data/fnc1] [/tmp/split.model]
 */
import { join } from 'node:path';
import { readBodies, readStances } from '../src/adapters/fs/fnc-csv.js';
import { loadModel, saveModel } from '../src/adapters/fs/model-file.js';
import { loadEmbeddings } from '../src/adapters/fs/embeddings.js';
import { trainModel, type TrainingPair } from '../src/core/train/train.js';
import type { Label } from '../src/core/labels.js';

const DATA = process.argv[2] ?? process.env.STANCECHECK_DATA ?? '../shared/data/fnc1';
const OUT = process.argv[3] ?? '/tmp/split.model';
const bodies = await readBodies(join(DATA, 'train_bodies.csv'));
const rows = await readStances(join(DATA, 'claim-split', 'train_stances.csv'), {
  bodies,
  stance: 'required',
});
const pairs: TrainingPair[] = rows.map((r) => ({
  headline: r.headline,
  bodyId: r.bodyId,
  label: r.stance as Label,
}));
const shipped = await loadModel();
const embeddings = (await loadEmbeddings()).lookup;
const t = Date.now();
const model = trainModel(pairs, bodies, {
  seed: 1,
  embeddings,
  calibration: shipped.calibration,
  card: { name: 'split-train', command: 'scripts/train-split-model.ts' },
  onProgress: (phase, done, total) => {
    if (done === total || done % 50 === 0) process.stderr.write(`${phase} ${done}/${total}\n`);
  },
});
await saveModel(model, OUT);
process.stderr.write(
  `trained on ${pairs.length} pairs in ${((Date.now() - t) / 1000).toFixed(0)} s → ${OUT}\n`,
);

/**
 * Writes test/fixtures/tiny.model: a few trees trained on the project's own example pairs
 * (examples/pairs), without word vectors. Tests use it to exercise the model pipeline fast; it is
 * not meant to be accurate.  Run: node --import tsx scripts/make-fixture-model.ts
 */
import { readBodies, readTrainingPairs } from '../src/adapters/fs/fnc-csv.js';
import { saveModel } from '../src/adapters/fs/model-file.js';
import { trainModel } from '../src/core/train/train.js';

const bodies = await readBodies('examples/pairs/bodies.csv');
const model = trainModel(await readTrainingPairs('examples/pairs/stances.csv', bodies), bodies, {
  seed: 1,
  mlp: false,
  gbdt: { rounds: 4, maxDepth: 2, minChildWeight: 0.1, subsample: 1, colsample: 1 },
  card: { name: 'tiny-fixture', command: 'node --import tsx scripts/make-fixture-model.ts' },
});
model.card.trainedAt = '2026-01-01T00:00:00.000Z';
model.card.trainingSeconds = 0;
const bytes = await saveModel(model, 'test/fixtures/tiny.model');
console.log(`test/fixtures/tiny.model: ${bytes} bytes`);

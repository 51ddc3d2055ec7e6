/**
 * Second-domain experiment (docs/MODEL.md): the shipped recipe trained on the claim split's
 * train part plus ARC's training part (reader comments, ../shared/data/arc), scored on the claim
 * split's dev part. ARC Body IDs are prefixed so they cannot collide with FNC-1's.
 *
 *   node --import tsx scripts/arc.ts
 */
import { join } from 'node:path';
import { readBodies, readTrainingPairs } from '../src/adapters/fs/fnc-csv.js';
import { DATA_DIR, loadSplits, runRecipe, embeddings, summary } from './lib/experiment.js';

const arcDir = join(DATA_DIR, '..', 'arc');
const splits = await loadSplits();
const arcBodies = await readBodies(join(arcDir, 'arc_bodies.csv'));
const arc = (await readTrainingPairs(join(arcDir, 'arc_stances_train.csv'), arcBodies)).map((p) => ({
  ...p,
  bodyId: `arc:${p.bodyId}`,
}));
const bodies = new Map(splits.bodies);
for (const [id, text] of arcBodies) bodies.set(`arc:${id}`, text);
const m = await runRecipe(bodies, [...splits.claimTrain, ...arc], splits.claimDev, {
  embeddings: await embeddings(),
});
console.log(`claim split train + ARC train (${arc.length} pairs) → claim split dev: ${summary(m)}`);

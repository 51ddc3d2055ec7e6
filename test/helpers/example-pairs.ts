/** The project's own labelled example pairs (examples/pairs), as training pairs with their bodies. */
import { readBodies, readTrainingPairs, type Bodies } from '../../src/adapters/fs/fnc-csv.js';
import type { TrainingPair } from '../../src/core/train/train.js';

export async function examplePairs(): Promise<{ bodies: Bodies; pairs: TrainingPair[] }> {
  const bodies = await readBodies('examples/pairs/bodies.csv');
  return { bodies, pairs: await readTrainingPairs('examples/pairs/stances.csv', bodies) };
}

/**
 * The project's ARC dev set (docs/MODEL.md): ARC's training part (reader comments,
 * ../shared/data/arc) cut into 4 claim-disjoint folds (seed 1, as in training); fold 0 is held out
 * as ARC dev, folds 1–3 may train. Unrelated pairs whose headline and body fall in different folds
 * are left out.
 */
import { join } from 'node:path';
import { readBodies, readStances, type Bodies } from '../../src/adapters/fs/fnc-csv.js';
import { claimFolds } from '../../src/core/train/folds.js';
import { DATA_DIR } from './experiment.js';
import type { TrainingPair } from '../../src/core/train/train.js';
import type { Label } from '../../src/core/labels.js';

export interface ArcDevData {
  bodies: Bodies;
  /** Fold 0: scored only. */
  dev: TrainingPair[];
  /** Folds 1–3: may be used in training. */
  rest: TrainingPair[];
}

export async function arcDevData(dir = join(DATA_DIR, '..', 'arc')): Promise<ArcDevData> {
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

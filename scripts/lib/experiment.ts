/**
 * Shared by the accuracy regression and the ablation study: loads the FNC-1 splits from
 * ../shared/data/fnc1 (or STANCECHECK_DATA), trains the shipped recipe on a training part and
 * scores a held-out part.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readBodies, readTrainingPairs, type Bodies } from '../../src/adapters/fs/fnc-csv.js';
import { loadEmbeddings } from '../../src/adapters/fs/embeddings.js';
import {
  trainCalibrated,
  type CalibratedTrainOptions,
  type EmbeddingLookup,
  type TrainingPair,
} from '../../src/core/train/train.js';
import { createChecker } from '../../src/index.js';
import { evaluateChecker } from '../../src/core/eval/evaluate-checker.js';
import { LABELS } from '../../src/core/labels.js';
import type { Metrics } from '../../src/core/model/card.js';

export const DATA_DIR = resolve(process.env.STANCECHECK_DATA ?? '../shared/data/fnc1');

export interface Splits {
  bodies: Bodies;
  claimTrain: TrainingPair[];
  claimDev: TrainingPair[];
  holdTrain: TrainingPair[];
  holdOut: TrainingPair[];
}

/** Reads the bodies, the claim split and the official hold-out split. */
export async function loadSplits(dir = DATA_DIR): Promise<Splits> {
  if (!existsSync(join(dir, 'train_bodies.csv'))) {
    throw new Error(`FNC-1 data not found in ${dir}; expected train_bodies.csv there (set STANCECHECK_DATA)`);
  }
  const bodies = await readBodies(join(dir, 'train_bodies.csv'));
  const read = (f: string): Promise<TrainingPair[]> => readTrainingPairs(join(dir, f), bodies);
  const all = await read('train_stances.csv');
  const ids = async (f: string): Promise<Set<string>> =>
    new Set((await readFile(join(dir, 'splits', f), 'utf8')).split(/\s+/).filter(Boolean));
  const holdIds = await ids('hold_out_ids.txt');
  return {
    bodies,
    claimTrain: await read('claim-split/train_stances.csv'),
    claimDev: await read('claim-split/dev_stances.csv'),
    holdTrain: all.filter((p) => !holdIds.has(p.bodyId)),
    holdOut: all.filter((p) => holdIds.has(p.bodyId)),
  };
}

let vectors: EmbeddingLookup | undefined;
/** The GloVe lookup, loaded once per process. */
export async function embeddings(): Promise<EmbeddingLookup> {
  vectors ??= (await loadEmbeddings()).lookup;
  return vectors;
}

/** Trains the recipe on `train` and scores `test`. */
export async function runRecipe(
  bodies: Bodies,
  train: readonly TrainingPair[],
  test: readonly TrainingPair[],
  options: CalibratedTrainOptions = {},
): Promise<Metrics> {
  const model = trainCalibrated(train, bodies, { seed: 1, ...options });
  return evaluateChecker(createChecker(model), test, bodies);
}

/** One line of figures. */
export function summary(m: Metrics): string {
  return (
    `FNC ${m.fnc.toFixed(4)}  macro-F1 ${m.macroF1.toFixed(4)}  accuracy ${m.accuracy.toFixed(4)}  ECE ${(m.ece ?? NaN).toFixed(4)}  | ` +
    LABELS.map((l) => `${l} F1 ${m.perClass[l].f1.toFixed(3)}`).join('  ')
  );
}

/** A progress printer for stderr (a line per phase change). */
export function phaseLogger(prefix: string): (phase: string, done: number, total: number) => void {
  let last = '';
  return (phase) => {
    if (phase !== last) {
      last = phase;
      process.stderr.write(`  ${prefix}: ${phase}\n`);
    }
  };
}

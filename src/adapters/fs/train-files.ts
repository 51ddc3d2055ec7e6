/**
 * `stancecheck train` behind the CLI: reads FNC-1 files, trains with claim-disjoint calibration,
 * optionally scores a dev file, and writes the model file and its card (Markdown + JSON).
 */
import { mkdir } from 'node:fs/promises';
import { join, basename } from 'node:path';
import { readBodies, readStances, readTrainingPairs, toTrainingPairs } from './fnc-csv.js';
import { saveModel } from './model-file.js';
import { loadEmbeddings } from './embeddings.js';
import { writeFileAtomic } from './write-atomic.js';
import { trainCalibrated, type TrainingPair } from '../../core/train/train.js';
import { claimFolds } from '../../core/train/folds.js';
import { createChecker } from '../../core/create-checker.js';
import { guessLanguage } from '../language/tinyld.js';
import { evaluateChecker } from '../../core/eval/evaluate-checker.js';
import { renderModelCard } from '../report/model-card.js';
import { StanceError } from '../../core/errors.js';
import type { ModelCard } from '../../core/model/card.js';

export interface TrainFilesOptions {
  bodiesPath: string;
  stancesPath: string;
  /** A dev stances file (same bodies file) to report figures on; never used to fit anything. */
  devPath?: string;
  outDir: string;
  seed?: number;
  /** Where the GloVe vectors are (see embeddings.ts); ignored with `vectors: false`. */
  embeddingsPath?: string;
  /** Use word vectors [true]. */
  vectors?: boolean;
  /** The command line, recorded in the card. */
  command: string;
  /** Model name [stancecheck-fnc1]. */
  name?: string;
  /** A second domain's labelled pairs (e.g. ARC's reader comments), trained on at a lower weight. */
  extra?: {
    bodiesPath: string;
    stancesPath: string;
    /** Sample weight of these pairs [0.3]. */
    weight?: number;
    /** Leave out fold k of 4 claim-disjoint folds (seed 1) of these pairs, kept for a dev set. */
    holdoutFold?: number;
  };
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface TrainFilesResult {
  modelPath: string;
  cardPath: string;
  card: ModelCard;
  bytes: number;
}

/** Prefix of a second domain's Body IDs, so they cannot collide with the main data's. */
export const EXTRA_BODY_PREFIX = 'extra:';

async function readExtra(
  extra: NonNullable<TrainFilesOptions['extra']>,
  mainBodies: ReadonlyMap<string, string>,
): Promise<{ bodies: Map<string, string>; pairs: TrainingPair[]; weight: number }> {
  const weight = extra.weight ?? 0.3;
  if (!(weight > 0 && weight <= 1)) {
    throw new StanceError('USAGE', `the second domain's weight must be in (0, 1]; found ${weight}`);
  }
  const extraBodies = await readBodies(extra.bodiesPath);
  let pairs = await readTrainingPairs(extra.stancesPath, extraBodies);
  if (extra.holdoutFold !== undefined) {
    const folds = claimFolds(pairs, 4, 1);
    pairs = pairs.filter((_, i) => folds[i] !== extra.holdoutFold && folds[i] !== -1);
  }
  const bodies = new Map(mainBodies);
  for (const [id, text] of extraBodies) bodies.set(EXTRA_BODY_PREFIX + id, text);
  return {
    bodies,
    weight,
    pairs: pairs.map((p) => ({ ...p, bodyId: EXTRA_BODY_PREFIX + p.bodyId, weight })),
  };
}

/** Reads the data, trains, evaluates on dev (if given) and writes model + card. */
export async function trainFromFiles(opts: TrainFilesOptions): Promise<TrainFilesResult> {
  const bodies = await readBodies(opts.bodiesPath);
  const pairs = await readTrainingPairs(opts.stancesPath, bodies);
  if (pairs.length === 0) {
    throw new StanceError(
      'INPUT_EMPTY',
      `${opts.stancesPath} has no stance rows; expected labelled pairs to train on`,
      { file: opts.stancesPath },
    );
  }
  const devRows = opts.devPath ? await readStances(opts.devPath, { bodies, stance: 'required' }) : undefined;
  let embeddings;
  if (opts.vectors !== false) {
    opts.onProgress?.('loading word vectors', 0, 1);
    embeddings = (await loadEmbeddings(opts.embeddingsPath)).lookup;
    opts.onProgress?.('loading word vectors', 1, 1);
  }
  const name = opts.name ?? 'stancecheck-fnc1';
  const extra = opts.extra ? await readExtra(opts.extra, bodies) : undefined;
  const model = trainCalibrated(pairs, extra?.bodies ?? bodies, {
    seed: opts.seed ?? 1,
    embeddings,
    ...(extra ? { extraPairs: extra.pairs } : {}),
    onProgress: opts.onProgress,
    card: { name, command: opts.command },
  });
  model.card.data = {
    ...model.card.data,
    bodies: basename(opts.bodiesPath),
    stances: basename(opts.stancesPath),
  };
  if (extra && opts.extra) {
    model.card.notes = [
      ...(model.card.notes ?? []),
      `second domain: ${extra.pairs.length} pairs of ${basename(opts.extra.stancesPath)} (bodies ${basename(opts.extra.bodiesPath)}) at sample weight ${extra.weight}` +
        (opts.extra.holdoutFold !== undefined
          ? `, fold ${opts.extra.holdoutFold} of 4 claim-disjoint folds (seed 1) left out as its dev set`
          : '') +
        '; never used for calibration',
    ];
  }
  if (devRows && opts.devPath) {
    const metrics = evaluateChecker(
      createChecker(model, { guessLanguage }),
      toTrainingPairs(devRows),
      bodies,
      (done, total) => opts.onProgress?.('dev evaluation', done, total),
    );
    model.card.dev = { stances: basename(opts.devPath), ...metrics };
  }
  await mkdir(opts.outDir, { recursive: true });
  const modelPath = join(opts.outDir, `${name}.model`);
  const cardPath = join(opts.outDir, `${name}.card.md`);
  const bytes = await saveModel(model, modelPath);
  await writeFileAtomic(cardPath, renderModelCard(model.card, bytes));
  await writeFileAtomic(join(opts.outDir, `${name}.card.json`), `${JSON.stringify(model.card, null, 2)}\n`);
  return { modelPath, cardPath, card: model.card, bytes };
}

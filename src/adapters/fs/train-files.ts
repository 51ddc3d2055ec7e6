/**
 * `stancecheck train` behind the CLI: reads FNC-1 files, trains with claim-disjoint calibration,
 * optionally scores a dev file, and writes the model file and its card (Markdown + JSON).
 */
import { mkdir } from 'node:fs/promises';
import { join, basename } from 'node:path';
import { readBodies, readStances } from './fnc-csv.js';
import { saveModel } from './model-file.js';
import { loadEmbeddings } from './embeddings.js';
import { writeFileAtomic } from './write-atomic.js';
import { trainCalibrated, type TrainingPair } from '../../core/train/train.js';
import { createChecker } from '../../core/create-checker.js';
import { evaluateChecker } from '../../core/eval/evaluate-checker.js';
import { renderModelCard } from '../report/model-card.js';
import { StanceError } from '../../core/errors.js';
import type { ModelCard } from '../../core/model/card.js';
import type { Label } from '../../core/labels.js';

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
  onProgress?: (phase: string, done: number, total: number) => void;
}

export interface TrainFilesResult {
  modelPath: string;
  cardPath: string;
  card: ModelCard;
  bytes: number;
}

/** Reads the data, trains, evaluates on dev (if given) and writes model + card. */
export async function trainFromFiles(opts: TrainFilesOptions): Promise<TrainFilesResult> {
  const bodies = await readBodies(opts.bodiesPath);
  const rows = await readStances(opts.stancesPath, { bodies, stance: 'required' });
  const pairs: TrainingPair[] = rows.map((r) => ({
    headline: r.headline,
    bodyId: r.bodyId,
    label: r.stance as Label,
  }));
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
  const model = trainCalibrated(pairs, bodies, {
    seed: opts.seed ?? 1,
    embeddings,
    onProgress: opts.onProgress,
    card: { name, command: opts.command },
  });
  model.card.data = {
    ...model.card.data,
    bodies: basename(opts.bodiesPath),
    stances: basename(opts.stancesPath),
  };
  if (devRows && opts.devPath) {
    const metrics = evaluateChecker(
      createChecker(model),
      devRows.map((d) => ({ headline: d.headline, bodyId: d.bodyId, label: d.stance as Label })),
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

/**
 * Ablation study for docs/MODEL.md: the shipped recipe with each feature group switched off in
 * turn, and with parts of the learner switched off, trained on the claim split's train part and
 * scored on its dev part; the official hold-out's figures beside them (comparison only).
 *
 *   node --import tsx scripts/ablation.ts [--skip-holdout] [--only 0,2,4] [--no-header]
 *
 * Each variant trains the recipe twice (claim split, official hold-out): ~8 min per variant here;
 * `--only` picks variants by index so two processes can share the work.
 */
import { loadSplits, runRecipe, embeddings } from './lib/experiment.js';
import type { CalibratedTrainOptions } from '../src/core/train/train.js';
import { LABELS } from '../src/core/labels.js';
import type { Metrics } from '../src/core/model/card.js';

const argv = process.argv.slice(2);
const skipHold = argv.includes('--skip-holdout');
const onlyArg = argv[argv.indexOf('--only') + 1];
const only = argv.includes('--only') && onlyArg ? new Set(onlyArg.split(',').map(Number)) : undefined;
const splits = await loadSplits();
const vectors = await embeddings();

const variants: { name: string; options: CalibratedTrainOptions }[] = [
  { name: 'full recipe', options: {} },
  { name: '− overlap features', options: { disable: ['overlap.'] } },
  { name: '− sentence alignment', options: { disable: ['sentence.'] } },
  { name: '− cue words (sentence and body)', options: { disable: ['cues.'] } },
  { name: '− cue-near-match windows', options: { disable: ['window.'] } },
  { name: '− GloVe word vectors (in trees and MLP)', options: { embeddings: undefined } },
  { name: '− neural learner (trees only)', options: { mlp: false } },
  { name: '− class weights', options: { classWeights: [1, 1, 1, 1] } },
  { name: '− fitted biases (temperature only)', options: { calibrationBias: false } },
];

const row = (name: string, m: Metrics, h?: Metrics): string =>
  `| ${name} | ${m.fnc.toFixed(4)} | ${m.macroF1.toFixed(4)} | ${LABELS.map((l) => m.perClass[l].f1.toFixed(3)).join(' | ')} | ${h ? `${h.fnc.toFixed(4)} / ${h.macroF1.toFixed(4)}` : '-'} |`;

if (!argv.includes('--no-header'))
  console.log(
    `| variant | dev FNC | dev macro-F1 | ${LABELS.map((l) => `${l} F1`).join(' | ')} | official hold-out FNC / macro-F1 |`,
  );
if (!argv.includes('--no-header')) console.log(`|---|---|---|${LABELS.map(() => '---').join('|')}|---|`);
for (const [index, v] of variants.entries()) {
  if (only && !only.has(index)) continue;
  const t = Date.now();
  const options = { embeddings: vectors, ...v.options };
  const m = await runRecipe(splits.bodies, splits.claimTrain, splits.claimDev, options);
  const h = skipHold ? undefined : await runRecipe(splits.bodies, splits.holdTrain, splits.holdOut, options);
  console.log(row(v.name, m, h));
  process.stderr.write(`${v.name}: ${Math.round((Date.now() - t) / 1000)} s\n`);
}

/**
 * Compares the sentence splitter (src/core/text/sentences.ts) with the regex splitter it replaced
 * (scripts/lib/previous-splitter.ts; quadratic on runs of dots and chains of abbreviations) on every
 * FNC-1 training body and prints how many bodies split differently, with counts only: no text of
 * the data is printed.
 *
 *   npm run splitter-diff                      # ../shared/data/fnc1/train_bodies.csv
 *   STANCECHECK_DATA=path/to/fnc1 npm run splitter-diff [-- --show N]   # --show prints N diffs
 */
import { join } from 'node:path';
import { readBodies } from '../src/adapters/fs/fnc-csv.js';
import { normalizeText } from '../src/core/text/normalize.js';
import { splitSentences } from '../src/core/text/sentences.js';
import { DATA_DIR } from './lib/experiment.js';
import { previousSplit } from './lib/previous-splitter.js';

const args = process.argv.slice(2);
const showAt = args.indexOf('--show');
const show = showAt >= 0 ? Number(args[showAt + 1] ?? 5) : 0;
const bodies = await readBodies(join(DATA_DIR, 'train_bodies.csv'));
let differing = 0;
let sentences = 0;
let oldMs = 0;
let newMs = 0;
for (const [id, body] of bodies) {
  const text = normalizeText(body);
  let t = performance.now();
  const before = previousSplit(text);
  oldMs += performance.now() - t;
  t = performance.now();
  const after = splitSentences(text);
  newMs += performance.now() - t;
  sentences += before.length;
  if (before.length === after.length && before.every((s, i) => s === after[i])) continue;
  differing++;
  if (differing <= show) {
    console.log(`--- body ${id}: ${before.length} → ${after.length} sentences`);
    for (const s of before.filter((x) => !after.includes(x))) console.log(`  - ${s}`);
    for (const s of after.filter((x) => !before.includes(x))) console.log(`  + ${s}`);
  }
}
console.log(
  `${bodies.size} bodies, ${sentences} sentences (previous splitter): ${differing} bodies split differently; ` +
    `time previous ${oldMs.toFixed(0)} ms, new ${newMs.toFixed(0)} ms`,
);
process.exitCode = differing === 0 ? 0 : 1;

/**
 * `node --import tsx bench/pool.ts [PAIRS] [CHUNK]`: the shared worker pool classifying FNC-1
 * training pairs in chunks, with 1 and 2 workers (and more with POOL_SIZES=1,2,4), against
 * `classifyPairs` in-process; checks that every run gives the same results as in-process and
 * prints pairs/s, pool start-up and the speed-up. Speed only: labels are not looked at.
 * Needs the data in ../shared/data/fnc1 (or STANCECHECK_DATA) and the bundled model.
 */
import { readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'csv-parse/sync';
import { loadChecker } from '../src/adapters/fs/load-checker.js';
import { WorkerPool } from '../src/adapters/workers/pool.js';
import { classifyPairs } from '../src/core/classify-pairs.js';

const DATA = resolve(process.env.STANCECHECK_DATA ?? '../shared/data/fnc1');
const PAIRS = Number(process.argv[2] ?? 8000);
const CHUNK = Number(process.argv[3] ?? 500);
const SIZES = (process.env.POOL_SIZES ?? '1,2').split(',').map(Number);

const bodyRows = parse(readFileSync(join(DATA, 'train_bodies.csv')), { columns: true }) as Record<
  string,
  string
>[];
const bodies = new Map(bodyRows.map((r) => [r['Body ID'] as string, r.articleBody as string]));
const stances = (
  parse(readFileSync(join(DATA, 'train_stances.csv')), { columns: true }) as Record<string, string>[]
).slice(0, PAIRS);
const pairs = stances.map((r) => ({ headline: r.Headline as string, bodyKey: r['Body ID'] as string }));

const checker = await loadChecker();
let t = performance.now();
const expected = [
  ...classifyPairs(
    checker,
    pairs.map((p) => ({ headline: p.headline, body: bodies.get(p.bodyKey) as string, bodyKey: p.bodyKey })),
  ),
];
const inProcessS = (performance.now() - t) / 1000;
console.log(
  `in-process classifyPairs: ${pairs.length} pairs in ${inProcessS.toFixed(2)} s (${(pairs.length / inProcessS).toFixed(0)} pairs/s)`,
);

for (const size of SIZES) {
  t = performance.now();
  const pool = await WorkerPool.start({ size, modelPath: undefined });
  const startS = (performance.now() - t) / 1000;
  t = performance.now();
  const chunks: Promise<unknown[]>[] = [];
  for (let i = 0; i < pairs.length; i += CHUNK) {
    const c = pairs.slice(i, i + CHUNK);
    chunks.push(
      pool.run({
        kind: 'classifyChunk',
        pairs: c,
        bodies: Object.fromEntries(c.map((p) => [p.bodyKey, bodies.get(p.bodyKey) as string])),
      }),
    );
  }
  const results = (await Promise.all(chunks)).flat();
  const s = (performance.now() - t) / 1000;
  await pool.close();
  const same = isDeepStrictEqual(results, expected);
  console.log(
    `pool of ${size}: start ${startS.toFixed(2)} s; ${pairs.length} pairs in ${s.toFixed(2)} s (${(pairs.length / s).toFixed(0)} pairs/s, ${(inProcessS / s).toFixed(2)}× in-process); results identical: ${same}`,
  );
  if (!same) process.exitCode = 1;
}

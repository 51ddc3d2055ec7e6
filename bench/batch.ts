/**
 * `npm run bench`: end-to-end throughput of `stancecheck batch` (a fresh process each run: start-up,
 * model load, CSV reading, scoring, writing), model load time and peak memory, on
 *  - the claim split's dev part (8,951 pairs), and
 *  - a 25,413-pair file (the size of the FNC-1 competition test set) cut from the training stances,
 * with its defaults (one checking thread per core: the main thread and a worker thread per other
 * core) and, on the 25,413-pair file, with `--workers 1` (the main thread alone) in the same run
 * (the two alternate, so a machine whose speed drifts affects both alike), and writes
 * docs/BENCHMARKS.md (the batch section) with the machine and its load average.
 * Needs `npm run build` first (it runs the built CLI) and the data in ../shared/data/fnc1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs';
import { writeBenchSection } from './lib/benchmarks-doc.js';
import { tmpdir, cpus, totalmem, loadavg, availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_MODEL_PATH } from '../src/adapters/fs/model-file.js';
import { writeBenchStances } from './lib/bench-stances.js';

const DATA = resolve(process.env.STANCECHECK_DATA ?? '../shared/data/fnc1');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const tmp = mkdtempSync(join(tmpdir(), 'stancecheck-bench-'));
const bodies = join(DATA, 'train_bodies.csv');

const big = writeBenchStances(DATA, tmp);

interface Run {
  seconds: number;
  rssMiB: number;
  out: Buffer;
}

function runBatch(stances: string, extra: string[] = []): Run {
  const rssFile = join(tmp, 'rss');
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      resolve('bench/report-rss.mjs'),
      'bin/stancecheck.js',
      'batch',
      '--bodies',
      bodies,
      '--stances',
      stances,
      '--out',
      join(tmp, 'out.csv'),
      '--no-progress',
      ...extra,
    ],
    {
      env: { ...process.env, STANCECHECK_BENCH_RSS: rssFile },
      encoding: 'utf8',
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`batch failed: ${r.stderr}`);
  return {
    seconds,
    rssMiB: Number(readFileSync(rssFile, 'utf8')) / 1024,
    out: readFileSync(join(tmp, 'out.csv')),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

if (!existsSync('dist/adapters/cli/main.js'))
  throw new Error('run `npm run build` first: the benchmark runs the built CLI');

/**
 * Start-up pieces of a fresh process, as `batch` meets them (nothing compiled or cached yet):
 * importing the checker's modules, loading the model and creating the checker, reading the two
 * CSVs of the 25,413 pairs, one after another in a new `node` process; medians of 5 processes.
 */
function startupPieces(): { importMs: number; loadMs: number; readMs: number } {
  const script = `
const t0 = performance.now();
const { loadChecker } = await import(${JSON.stringify(resolve('dist/adapters/fs/load-checker.js'))});
const t1 = performance.now();
await loadChecker();
const t2 = performance.now();
const { readPairRows } = await import(${JSON.stringify(resolve('dist/adapters/fs/pair-rows.js'))});
const t3 = performance.now();
const rows = await readPairRows({ bodies: ${JSON.stringify(bodies)}, stances: ${JSON.stringify(big)} });
const t4 = performance.now();
if (rows.length !== 25413) throw new Error('read ' + rows.length + ' pairs');
console.log(JSON.stringify([t1 - t0, t2 - t1, t4 - t3]));`;
  const runs: number[][] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`start-up measurement failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout) as number[]);
  }
  const piece = (k: number) => median(runs.map((x) => x[k] as number));
  return { importMs: piece(0), loadMs: piece(1), readMs: piece(2) };
}
const startup = startupPieces();
const modelMB = statSync(DEFAULT_MODEL_PATH).size / 1e6;

const load1 = loadavg()[0] ?? 0;
/** The main thread checks too: N checking threads are the main thread and N − 1 worker threads. */
const threads = (n: number) =>
  n === 1 ? 'the main thread' : `main thread + ${n - 1} worker${n === 2 ? '' : 's'}`;
const label = (w: string) =>
  w === '' ? `defaults (${threads(availableParallelism())})` : `--workers ${w} (${threads(Number(w))})`;
const results: { name: string; pairs: number; workers: string; runs: Run[] }[] = [
  { name: 'claim split dev part', pairs: 8951, workers: '', runs: [] },
  { name: 'competition-test-sized file (25,413 pairs)', pairs: 25413, workers: '', runs: [] },
  { name: 'competition-test-sized file (25,413 pairs)', pairs: 25413, workers: '1', runs: [] },
];
const files = [join(DATA, 'claim-split/dev_stances.csv'), big, big];
for (let r = 0; r < RUNS; r++) {
  results.forEach((res, i) => {
    const run = runBatch(files[i] as string, res.workers === '' ? [] : ['--workers', res.workers]);
    res.runs.push(run);
    process.stderr.write(
      `${res.name}, ${label(res.workers)}: run ${r + 1}/${RUNS}: ${run.seconds.toFixed(2)} s, peak ${run.rssMiB.toFixed(0)} MiB\n`,
    );
  });
}
const [, defaults, single] = results as [unknown, (typeof results)[number], (typeof results)[number]];
// Pairwise: run r of the defaults against run r of --workers 1, right after it.
const speedup = median(single.runs.map((s, r) => s.seconds / (defaults.runs[r] as Run).seconds));
const identical = defaults.runs.every((d, r) => d.out.equals((single.runs[r] as Run).out));
if (!identical) process.exitCode = 1;

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
const lines = [
  '## Batch scoring (`npm run bench`)',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}; 1-minute load average ${load1.toFixed(1)} at the start (above ~0.5, other work shared the CPU and the times are pessimistic). Each run is a fresh \`stancecheck batch\` process (start-up, model load, CSV reading, scoring, writing the submission CSV); median of ${RUNS} runs, the rows taking turns. Peak memory is the process's maximum resident set size (all its threads).`,
  '',
  '| input | pairs | workers | wall time | pairs/s | peak memory |',
  '|---|---|---|---|---|---|',
  ...results.map((r) => {
    const s = median(r.runs.map((x) => x.seconds));
    return `| ${r.name} | ${r.pairs} | ${label(r.workers)} | ${s.toFixed(2)} s | ${Math.round(r.pairs / s)} | ${median(r.runs.map((x) => x.rssMiB)).toFixed(0)} MiB |`;
  }),
  '',
  `Defaults vs \`--workers 1\` on the 25,413 pairs: ${speedup.toFixed(2)}× faster (median of the run-by-run ratios); output ${identical ? 'byte-identical' : 'DIFFERENT (a bug)'}.`,
  '',
  `Model: \`${DEFAULT_MODEL_PATH.split('/').slice(-2).join('/')}\`, ${modelMB.toFixed(2)} MB on disk. Start-up of a fresh \`node\` process, its pieces timed one after another (median of 5 processes): importing the checker's modules ${startup.importMs.toFixed(0)} ms, loading the model and creating the checker ${startup.loadMs.toFixed(0)} ms, reading the two CSVs of the 25,413 pairs ${startup.readMs.toFixed(0)} ms.`,
  '',
];
const section = lines.join('\n');
writeBenchSection('## Batch scoring', section);
console.log(section);

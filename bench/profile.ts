/**
 * `npm run bench:profile`: where `stancecheck batch --workers 1` spends its CPU time on the 25,413-pair
 * file of `npm run bench`. Runs the built CLI under `node --cpu-prof` and prints, for the thread
 * that scores (the main thread itself since `--workers 1` starts no worker; a worker thread in
 * older builds, whose main thread is then printed too), the share of samples spent in the main stages
 * (inclusive: a function and what it calls) and the functions with the most self time.
 * Shares are of the thread's samples, idle time included, so they compare across machines and
 * loads better than seconds do. `npm run bench:profile -- DIR` summarises the .cpuprofile files
 * already in DIR (e.g. of an older build) instead. Needs `npm run build` and the data in ../shared/data/fnc1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBenchStances } from './lib/bench-stances.js';

const DATA = resolve(process.env.STANCECHECK_DATA ?? '../shared/data/fnc1');
const tmp = mkdtempSync(join(tmpdir(), 'stancecheck-profile-'));
const big = writeBenchStances(DATA, tmp);

// `npm run bench:profile -- DIR` summarises the profiles already in DIR instead of running.
const given = process.argv[2];
const profDir = given ?? join(tmp, 'prof');
const r = given
  ? undefined
  : spawnSync(
      process.execPath,
      [
        '--cpu-prof',
        '--cpu-prof-dir',
        profDir,
        'bin/stancecheck.js',
        'batch',
        '--bodies',
        join(DATA, 'train_bodies.csv'),
        '--stances',
        big,
        '--out',
        join(tmp, 'out.csv'),
        '--no-progress',
        '--workers',
        '1',
      ],
      { encoding: 'utf8' },
    );
if (r && r.status !== 0) throw new Error(`batch failed: ${r.stderr}`);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

/** The stages named in docs/BENCHMARKS.md: a function name (any file) per stage. */
const STAGES: [string, string][] = [
  ['pair features (pairFeatures)', 'pairFeatures'],
  ['  of which stance features (stanceFeatures)', 'stanceFeatures'],
  ['body preparation (prepareBody)', 'prepareBody'],
  ['tree scores (predictScores)', 'predictScores'],
  ['garbage collection', '(garbage collector)'],
  ['CSV reading (parseCsv)', 'parseCsv'],
  ['model load (loadModel)', 'loadModel'],
];

function shares(p: Profile): {
  total: number;
  seconds: number;
  incl: Map<string, number>;
  self: Map<string, number>;
} {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const counts = new Map<number, number>();
  for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
  const name = (n: ProfileNode) => n.callFrame.functionName || '(anonymous)';
  const incl = new Map<string, number>();
  const self = new Map<string, number>();
  for (const [id, c] of counts) {
    const n = byId.get(id) as ProfileNode;
    const where = `${name(n)} ${n.callFrame.url.split('/').slice(-2).join('/')}`;
    self.set(where, (self.get(where) ?? 0) + c);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(byId.get(cur) as ProfileNode);
      if (!seen.has(k)) incl.set(k, (incl.get(k) ?? 0) + c);
      seen.add(k);
    }
  }
  return { total: p.samples.length, seconds: (p.endTime - p.startTime) / 1e6, incl, self };
}

const pct = (n: number, total: number) => `${((100 * n) / total).toFixed(1)} %`;
for (const file of readdirSync(profDir).sort()) {
  const s = shares(JSON.parse(readFileSync(join(profDir, file), 'utf8')) as Profile);
  const thread = (s.incl.get('classifyPairs') ?? 0) > 0 ? 'scoring thread' : 'main thread (not scoring)';
  console.log(`\n${thread}: ${s.total} samples over ${s.seconds.toFixed(1)} s`);
  console.log('| stage | share of samples |\n|---|---|');
  for (const [label, fn] of STAGES) {
    const n = s.incl.get(fn) ?? 0;
    if (n > 0) console.log(`| ${label} | ${pct(n, s.total)} |`);
  }
  const top = [...s.self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
  console.log(
    `top self time: ${top
      .slice(0, 6)
      .map(([k, n]) => `${k} ${pct(n, s.total)}`)
      .join('; ')}`,
  );
}

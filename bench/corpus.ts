/**
 * `npm run bench:corpus`: the corpus section of docs/BENCHMARKS.md.
 *  1. Retrieval: the FNC-1 training bodies ingested into a fresh SQLite store; for every distinct
 *     headline of the claim split's dev part, recall of its gold related bodies among the top 20 and
 *     top 50 articles `corpus claim` returns, and the stance accuracy of the returned gold-related
 *     bodies (same checker as `batch`).
 *  2. Scale: stores of N generated articles (each recombines sentences of random training bodies;
 *     generated in memory, never written to the repository) on SQLite and, when reachable,
 *     PostgreSQL: ingest rate with analysis, claim latency p50/p99 over dev headlines, audit rate.
 * Sizes: STANCECHECK_BENCH_SIZES (default "10000"); PostgreSQL: STANCECHECK_BENCH_POSTGRES
 * (default postgres://stancecheck:stancecheck@127.0.0.1:5432/postgres; a database is created).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { readBodies, readStances } from '../src/adapters/fs/fnc-csv.js';
import {
  audit,
  claim,
  ingest,
  openCorpus,
  type ArticleInput,
  type Corpus,
} from '../src/adapters/corpus/corpus.js';
import { createRandom } from '../src/core/model/random.js';
import { splitSentences } from '../src/core/text/sentences.js';
import { writeBenchSection } from './lib/benchmarks-doc.js';

const DATA = process.env.STANCECHECK_DATA ?? '../shared/data/fnc1';
const SIZES = (process.env.STANCECHECK_BENCH_SIZES ?? '10000').split(',').map(Number);
const PG_ADMIN =
  process.env.STANCECHECK_BENCH_POSTGRES ?? 'postgres://stancecheck:stancecheck@127.0.0.1:5432/postgres';
const TMP = mkdtempSync(join(tmpdir(), 'stancecheck-bench-corpus-'));
const log = (s: string): void => void process.stderr.write(`${s}\n`);

const bodies = await readBodies(join(DATA, 'train_bodies.csv'));
const dev = await readStances(join(DATA, 'claim-split', 'dev_stances.csv'));
const gold = new Map<string, Map<string, string>>();
for (const r of dev) {
  if (!gold.has(r.headline)) gold.set(r.headline, new Map());
  if (r.stance && r.stance !== 'unrelated') gold.get(r.headline)?.set(r.bodyId, r.stance);
}
const headlines = [...gold.keys()].filter((h) => (gold.get(h)?.size ?? 0) > 0);

async function* items(list: ArticleInput[]): AsyncGenerator<ArticleInput> {
  yield* list;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

/* 1. retrieval quality */
const c0 = await openCorpus(join(TMP, 'fnc.db'));
const ing0 = await ingest(c0, items([...bodies].map(([id, body]) => ({ id, headline: '', body }))));
log(`ingested ${ing0.added} training bodies in ${ing0.seconds.toFixed(1)} s`);
let r20 = 0;
let r50 = 0;
let nGold = 0;
let stanceRight = 0;
let stanceN = 0;
const lat0: number[] = [];
for (const h of headlines) {
  const g = gold.get(h) as Map<string, string>;
  const t = performance.now();
  const a = await claim(c0, h, { top: 50 });
  lat0.push(performance.now() - t);
  const ids = a.articles.map((x) => x.id);
  const top20 = new Set(ids.slice(0, 20));
  const top50 = new Set(ids);
  for (const [b, st] of g) {
    nGold++;
    if (top20.has(b)) r20++;
    if (top50.has(b)) {
      r50++;
      stanceN++;
      if (a.articles.find((x) => x.id === b)?.stance === st) stanceRight++;
    }
  }
}
await c0.close();
log(
  `retrieval: recall@20 ${(r20 / nGold).toFixed(3)}, @50 ${(r50 / nGold).toFixed(3)}, stance ${(stanceRight / stanceN).toFixed(3)}`,
);

/* 2. scale */
const sentencePool = [...bodies.values()].map((b) => splitSentences(b));
function generate(n: number, seed: number): ArticleInput[] {
  const rnd = createRandom(seed);
  const out: ArticleInput[] = [];
  for (let i = 0; i < n; i++) {
    const k = 8 + Math.floor(rnd() * 20);
    const s: string[] = [];
    for (let j = 0; j < k; j++) {
      const src = sentencePool[Math.floor(rnd() * sentencePool.length)] as string[];
      if (src.length > 0) s.push(src[Math.floor(rnd() * src.length)] as string);
    }
    out.push({ id: `g${i}`, headline: s[0]?.slice(0, 90) ?? '', body: s.join(' ') });
  }
  return out;
}

interface Row {
  backend: string;
  n: number;
  ingestRate: number;
  p50: number;
  p99: number;
  auditRate: number;
}
const rows: Row[] = [];
const queries = headlines.slice(0, 100);

async function measure(c: Corpus, backend: string, n: number): Promise<void> {
  const arts = generate(n, n);
  const s = await ingest(c, items(arts), { batchSize: 500 });
  const ingestRate = s.added / s.seconds;
  log(`${backend} ${n}: ingest ${ingestRate.toFixed(0)}/s`);
  await claim(c, queries[0] as string); // warm-up
  const lat: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    await claim(c, q, { top: 20 });
    lat.push(performance.now() - t);
  }
  const t = performance.now();
  let scored = 0;
  await audit(c, { batchSize: 500, onProgress: (k) => (scored = k) });
  const auditRate = scored / ((performance.now() - t) / 1000);
  rows.push({ backend, n, ingestRate, p50: pct(lat, 50), p99: pct(lat, 99), auditRate });
  log(
    `${backend} ${n}: claim p50 ${pct(lat, 50).toFixed(0)} ms p99 ${pct(lat, 99).toFixed(0)} ms, audit ${auditRate.toFixed(0)}/s`,
  );
}

for (const n of SIZES) {
  const c = await openCorpus(join(TMP, `gen-${n}.db`));
  await measure(c, 'SQLite', n);
  await c.close();
  let dbName: string;
  try {
    const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
    await admin.connect();
    dbName = `stancecheck_bench_${n}_${process.pid}`;
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
  } catch (e) {
    log(`PostgreSQL not reachable (${(e as Error).message}): skipped`);
    continue;
  }
  const u = new URL(PG_ADMIN);
  u.pathname = `/${dbName}`;
  const cp = await openCorpus(u.toString());
  await measure(cp, 'PostgreSQL', n);
  await cp.close();
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
  await admin.end();
}
rmSync(TMP, { recursive: true, force: true });

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
const section = [
  '## Corpus (`npm run bench:corpus`)',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, in one process (store open, model loaded).`,
  '',
  `Retrieval: the ${ing0.added} FNC-1 training bodies in a SQLite store; for each of the ${headlines.length} claim-split dev headlines with related bodies, \`corpus claim --top 50\` (a pool of 100 full-text candidates re-ranked by the model).`,
  '',
  '| gold related bodies | recall@20 | recall@50 | stance accuracy of those returned | claim p50 / p99 |',
  '|---|---|---|---|---|',
  `| ${nGold} | ${(r20 / nGold).toFixed(3)} | ${(r50 / nGold).toFixed(3)} | ${(stanceRight / stanceN).toFixed(3)} (${stanceN}) | ${pct(lat0, 50).toFixed(0)} / ${pct(lat0, 99).toFixed(0)} ms |`,
  '',
  `Scale: generated articles (8–27 sentences drawn from random training bodies), ingested in batches of 500 with analysis; claim latency over ${queries.length} dev headlines (\`--top 20\`, first time each, so no cached verdicts); audit rate over all articles.`,
  '',
  '| backend | articles | ingest (articles/s) | claim p50 | claim p99 | audit (articles/s) |',
  '|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.backend} | ${r.n} | ${r.ingestRate.toFixed(0)} | ${r.p50.toFixed(0)} ms | ${r.p99.toFixed(0)} ms | ${r.auditRate.toFixed(0)} |`,
  ),
  '',
].join('\n');
writeBenchSection('## Corpus', section);
console.log(section);

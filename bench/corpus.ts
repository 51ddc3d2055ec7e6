/**
 * `npm run bench:corpus`: the corpus sections of docs/BENCHMARKS.md.
 *  1. Retrieval ("## Corpus retrieval"): the FNC-1 training bodies ingested into a fresh store
 *     (SQLite and, when reachable, PostgreSQL); for every distinct headline of the claim split's dev
 *     part, recall of its gold related bodies among the top 20 and top 50 articles `corpus claim
 *     --top 50` returns (and, for comparison, among the first 20/50 full-text hits alone), and the
 *     stance accuracy of the returned gold-related bodies next to `batch`'s on the same pairs.
 *  2. Scale ("## Corpus scale"): stores of N generated articles (each recombines sentences of random
 *     training bodies; generated in memory, never written to the repository) on each backend: ingest
 *     rate with analysis, claim latency p50/p99 (wall and this process's CPU time) over dev
 *     headlines, audit rate over the first AUDIT_SAMPLE articles.
 *  3. Refresh ("## Corpus audit refresh"): a store of REFRESH_SIZE generated articles without the
 *     own stories of REFRESH_LATE misplaced headlines, audited in full; then those stories ingested
 *     and the store audited again: the time of that run (scoring the new articles, looking the older
 *     doubted headlines up among them) and how many of the misplaced headlines each run flags.
 * Every figure is printed with the 1-minute load average when it was taken.
 * Environment: STANCECHECK_BENCH_PARTS ("retrieval,scale,refresh"), STANCECHECK_BENCH_SIZES
 * ("10000,100000"), STANCECHECK_BENCH_BACKENDS ("sqlite,postgres"), STANCECHECK_BENCH_POSTGRES
 * (admin URL, default postgres://stancecheck:stancecheck@127.0.0.1:5432/postgres; a database is
 * created and dropped per store), STANCECHECK_BENCH_QUERIES (claims timed per store, 100),
 * STANCECHECK_BENCH_CLAIMS (retrieval: about N dev headlines, every k-th), STANCECHECK_MODEL,
 * STANCECHECK_DATA (../shared/data/fnc1).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { readBodies, readStances } from '../src/adapters/fs/fnc-csv.js';
import {
  audit,
  claim,
  ingest,
  openCorpus,
  type ArticleInput,
  type AuditReport,
  type Corpus,
} from '../src/adapters/corpus/corpus.js';
import {
  poolSize,
  feedbackPoolSize,
  modelPoolSize,
  rarestFirst,
  searchTerms,
} from '../src/core/corpus/rank.js';
import { createRandom } from '../src/core/model/random.js';
import { splitSentences } from '../src/core/text/sentences.js';
import { BENCHMARKS_DOC, writeBenchSection } from './lib/benchmarks-doc.js';
import { idfOf } from '../src/core/features/vocabulary.js';

const DATA = process.env.STANCECHECK_DATA ?? '../shared/data/fnc1';
const PARTS = new Set((process.env.STANCECHECK_BENCH_PARTS ?? 'retrieval,scale,refresh').split(','));
const SIZES = (process.env.STANCECHECK_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const BACKENDS = new Set((process.env.STANCECHECK_BENCH_BACKENDS ?? 'sqlite,postgres').split(','));
const QUERIES = Number(process.env.STANCECHECK_BENCH_QUERIES ?? 100);
const AUDIT_SAMPLE = 2000;
const REFRESH_SIZE = Number(process.env.STANCECHECK_BENCH_REFRESH_SIZE ?? 20_000);
const REFRESH_LATE = 200;
const PG_ADMIN =
  process.env.STANCECHECK_BENCH_POSTGRES ?? 'postgres://stancecheck:stancecheck@127.0.0.1:5432/postgres';
const TMP = mkdtempSync(join(tmpdir(), 'stancecheck-bench-corpus-'));
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const load = (): string => loadavg()[0]?.toFixed(1) ?? '?';
const today = new Date().toISOString().slice(0, 10);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;

const bodies = await readBodies(join(DATA, 'train_bodies.csv'));
const dev = await readStances(join(DATA, 'claim-split', 'dev_stances.csv'));
const gold = new Map<string, Map<string, string>>();
for (const r of dev) {
  if (!gold.has(r.headline)) gold.set(r.headline, new Map());
  if (r.stance && r.stance !== 'unrelated') gold.get(r.headline)?.set(r.bodyId, r.stance);
}
const allHeadlines = [...gold.keys()].filter((h) => (gold.get(h)?.size ?? 0) > 0);
// STANCECHECK_BENCH_CLAIMS=N: every k-th headline so that about N are taken, spread over all dev claims.
const step = Math.max(
  1,
  Math.floor(allHeadlines.length / Number(process.env.STANCECHECK_BENCH_CLAIMS ?? Infinity)),
);
const headlines = allHeadlines.filter((_, i) => i % step === 0);

async function* items(list: Iterable<ArticleInput>, every = 0, label = ''): AsyncGenerator<ArticleInput> {
  let n = 0;
  for (const a of list) {
    yield a;
    if (every > 0 && ++n % every === 0) log(`  ${label} ${n} articles prepared`);
  }
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A fresh store of the backend: a file in TMP, or a new PostgreSQL database (dropped by `drop`). */
async function freshStore(
  backend: string,
  name: string,
): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  if (backend === 'sqlite') return { url: join(TMP, `${name}.db`), drop: () => Promise.resolve() };
  const dbName = `stancecheck_bench_${name}_${process.pid}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  try {
    const admin = new pg.Client({ connectionString: PG_ADMIN, connectionTimeoutMillis: 3000 });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
  } catch (e) {
    log(`PostgreSQL not reachable (${(e as Error).message}): skipped`);
    return undefined;
  }
  const u = new URL(PG_ADMIN);
  u.pathname = `/${dbName}`;
  return {
    url: u.toString(),
    drop: async () => {
      const admin = new pg.Client({ connectionString: PG_ADMIN });
      await admin.connect();
      await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const backendName = (b: string): string => (b === 'sqlite' ? 'SQLite' : 'PostgreSQL');

/* ---------------------------------------------------------------- 1. retrieval quality */

interface RetrievalRow {
  backend: string;
  claims: number;
  gold: number;
  bm20: number;
  bm50: number;
  r20: number;
  r50: number;
  stanceN: number;
  stanceAnswer: number;
  stanceBatch: number;
  p50: number;
  p99: number;
  cpu50: number;
  load: string;
}

async function retrieval(backend: string): Promise<RetrievalRow | undefined> {
  const where = await freshStore(backend, 'fnc');
  if (!where) return undefined;
  const c = await openCorpus(where.url);
  try {
    const s = await ingest(c, items([...bodies].map(([id, body]) => ({ id, headline: '', body }))));
    log(
      `${backendName(backend)}: ingested ${s.added} training bodies (+${s.aliases} aliases) in ${s.seconds.toFixed(1)} s`,
    );
    const row: RetrievalRow = {
      backend: backendName(backend),
      claims: 0,
      gold: 0,
      bm20: 0,
      bm50: 0,
      r20: 0,
      r50: 0,
      stanceN: 0,
      stanceAnswer: 0,
      stanceBatch: 0,
      p50: 0,
      p99: 0,
      cpu50: 0,
      load: load(),
    };
    const lat: number[] = [];
    const cpu: number[] = [];
    // Every id a text was ingested under names it (FNC-1 has a few bodies twice under two ids).
    const idsOf = async (keys: number[]): Promise<string[][]> => (await c.store.get(keys)).map((a) => a.ids);
    const idf = idfOf(c.model.vocab);
    for (const h of headlines) {
      const g = gold.get(h) as Map<string, string>;
      // The store's own top 50 for the terms `corpus claim` gives it (rarest first).
      const hits = await c.store.search(rarestFirst(searchTerms(h), idf), 50);
      const bmIds = await idsOf(hits.map((x) => x.key));
      const t = performance.now();
      const c0 = cpuMs();
      const a = await claim(c, h, { top: 50 });
      lat.push(performance.now() - t);
      cpu.push(cpuMs() - c0);
      const rankOf = new Map<string, number>();
      a.articles.forEach((x, i) => x.ids.forEach((id) => rankOf.set(id, i)));
      const bmRank = new Map<string, number>();
      bmIds.forEach((ids, i) => ids.forEach((id) => bmRank.set(id, i)));
      for (const [b, st] of g) {
        row.gold++;
        const r = rankOf.get(b);
        const br = bmRank.get(b);
        if (br !== undefined && br < 20) row.bm20++;
        if (br !== undefined) row.bm50++;
        if (r !== undefined && r < 20) row.r20++;
        if (r === undefined) continue;
        row.r50++;
        const item = a.articles[r];
        row.stanceN++;
        if (item?.stance === st) row.stanceAnswer++;
        // `batch` on the same pair: the checker on the raw texts.
        if (c.checker.check({ headline: h, body: bodies.get(b) as string }).label === st) row.stanceBatch++;
      }
      row.claims++;
      if (row.claims % 25 === 0)
        log(
          `  ${row.claims}/${headlines.length} claims: recall@50 ${(row.r50 / row.gold).toFixed(3)} (BM25 ${(row.bm50 / row.gold).toFixed(3)}), load ${load()}`,
        );
    }
    row.p50 = pct(lat, 50);
    row.p99 = pct(lat, 99);
    row.cpu50 = pct(cpu, 50);
    row.load = `${row.load}–${load()}`;
    log(
      `${row.backend}: recall@20 ${(row.r20 / row.gold).toFixed(3)} @50 ${(row.r50 / row.gold).toFixed(3)}; BM25 alone @20 ${(row.bm20 / row.gold).toFixed(3)} @50 ${(row.bm50 / row.gold).toFixed(3)}; stance ${(row.stanceAnswer / row.stanceN).toFixed(3)} (batch ${(row.stanceBatch / row.stanceN).toFixed(3)})`,
    );
    return row;
  } finally {
    await c.close();
    await where.drop();
  }
}

if (PARTS.has('retrieval')) {
  const rows: RetrievalRow[] = [];
  for (const b of ['sqlite', 'postgres'].filter((x) => BACKENDS.has(x))) {
    const r = await retrieval(b);
    if (r) rows.push(r);
  }
  const f = (n: number, d: number): string => (n / d).toFixed(3);
  const model = process.env.STANCECHECK_MODEL ? 'claim-split TRAIN model' : 'shipped model (in-sample)';
  const retrievalLine = (r: RetrievalRow): string =>
    `| ${r.backend} | ${model} | ${r.claims} | ${r.gold} | ${f(r.bm20, r.gold)} / ${f(r.bm50, r.gold)} | ${f(r.r20, r.gold)} | ${f(r.r50, r.gold)} | ${f(r.stanceAnswer, r.stanceN)} (${f(r.stanceBatch, r.stanceN)}) of ${r.stanceN} | ${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} ms, ${r.cpu50.toFixed(0)} ms | ${r.load} | ${today} |`;
  const section = [
    '## Corpus retrieval (`npm run bench:corpus`)',
    '',
    `Measured on ${machine}, in one process (store open, model loaded); the 1-minute load average at start–end of each row says how much other work shared the machine (above about 0.5, wall times are pessimistic).`,
    '',
    `The ${bodies.size} FNC-1 training bodies in a fresh store; for claim-split dev headlines with related bodies (all ${allHeadlines.length}, or every k-th with STANCECHECK_BENCH_CLAIMS), \`corpus claim --top 50\`: ${poolSize(50)} full-text candidates ordered by the cheap lexical score, the best ${modelPoolSize(50)} plus up to ${feedbackPoolSize(50)} from the feedback search classified by the model. "Full text alone" is the store's own ranking of the same search terms, rarest first (SQLite: bm25() of every match; PostgreSQL: ts_rank of the articles holding the most of the six rarest, docs/CORPUS.md). Stance accuracy counts the returned gold-related bodies whose stance is the gold one; \`batch\` is the checker on the same pairs' raw texts. "claim-split TRAIN model": a model trained on the claim split's TRAIN part only (STANCECHECK_MODEL; see docs/CORPUS.md), so these dev claims and bodies are unseen; the shipped model was trained on them too.`,
    '',
    '| backend | model | claims | gold related bodies | full text alone @20 / @50 | recall@20 | recall@50 | stance accuracy (batch) | claim p50 / p99 wall, p50 CPU | load | date |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...new Map([
      ...previousRows('## Corpus retrieval', /^\|\s*(SQLite|PostgreSQL)\s*\|\s*([^|]*?)\s*\|/),
      ...rows.map((r): [string, string] => [`${r.backend} ${model}`, retrievalLine(r)]),
    ]).values(),
    '',
    'Rerun: `STANCECHECK_BENCH_PARTS=retrieval nice -n 5 npm run bench:corpus` (STANCECHECK_MODEL, STANCECHECK_BENCH_CLAIMS, STANCECHECK_BENCH_BACKENDS choose the row).',
  ].join('\n');
  if (rows.length > 0) writeBenchSection('## Corpus retrieval', section);
  console.log(section);
}

/* ---------------------------------------------------------------- 2. scale */

const sentencePool = [...bodies.values()].map((b) => splitSentences(b));
/**
 * Generated articles, each under its first sentence as headline, except every tenth, which gets the
 * previous article's headline: a headline over another story, as an archive's audit must find
 * (its own story stored too, so the audit's cross-check has something to find).
 */
function* generate(n: number, seed: number): Generator<ArticleInput> {
  const rnd = createRandom(seed);
  let previous = '';
  for (let i = 0; i < n; i++) {
    const k = 8 + Math.floor(rnd() * 20);
    const s: string[] = [];
    for (let j = 0; j < k; j++) {
      const src = sentencePool[Math.floor(rnd() * sentencePool.length)] as string[];
      if (src.length > 0) s.push(src[Math.floor(rnd() * src.length)] as string);
    }
    const own = s[0]?.slice(0, 90) ?? '';
    yield { id: `g${i}`, headline: i % 10 === 9 ? previous : own, body: s.join(' ') };
    previous = own;
  }
}

interface ScaleRow {
  backend: string;
  n: number;
  ingestRate: number;
  ingestLoad: string;
  p50: number;
  p99: number;
  cpu50: number;
  cpu99: number;
  claimLoad: string;
  auditRate: number;
  auditLoad: string;
  /** Of the audited articles: cross-checked, and flagged as another story's headline. */
  crossChecked: number;
  wrongStory: number;
}

async function measure(c: Corpus, backend: string, n: number): Promise<ScaleRow> {
  const l0 = load();
  const s = await ingest(c, items(generate(n, n), 10_000, `${backend} ${n}:`), {
    batchSize: 500,
    onBatch: (_o, sum) => {
      if ((sum.added + sum.duplicates) % 5000 === 0) log(`  ${backend} ${n}: ${sum.added} ingested`);
    },
  });
  const ingestRate = s.added / s.seconds;
  const ingestLoad = `${l0}–${load()}`;
  log(`${backend} ${n}: ingest ${ingestRate.toFixed(0)}/s (load ${ingestLoad})`);
  const queries = headlines.slice(0, QUERIES);
  await claim(c, `${queries[0] as string} warm-up`); // warm-up
  const lat: number[] = [];
  const cpu: number[] = [];
  const l1 = load();
  for (const q of queries) {
    const t = performance.now();
    const c0 = cpuMs();
    await claim(c, q, { top: 20 });
    lat.push(performance.now() - t);
    cpu.push(cpuMs() - c0);
    if (lat.length % 25 === 0) log(`  ${backend} ${n}: ${lat.length}/${queries.length} claims`);
  }
  const claimLoad = `${l1}–${load()}`;
  const t = performance.now();
  const l2 = load();
  const r = await audit(c, { batchSize: 500, limit: AUDIT_SAMPLE });
  const auditRate = r.scored / ((performance.now() - t) / 1000);
  const row: ScaleRow = {
    backend,
    n,
    ingestRate,
    ingestLoad,
    p50: pct(lat, 50),
    p99: pct(lat, 99),
    cpu50: pct(cpu, 50),
    cpu99: pct(cpu, 99),
    claimLoad,
    auditRate,
    auditLoad: `${l2}–${load()}`,
    crossChecked: r.crossChecked,
    wrongStory: r.flagged.filter((f) => f.finding === 'wrong-story').length,
  };
  log(
    `${backend} ${n}: claim p50 ${row.p50.toFixed(0)} ms p99 ${row.p99.toFixed(0)} ms (CPU ${row.cpu50.toFixed(0)} / ${row.cpu99.toFixed(0)} ms, load ${claimLoad}), audit ${auditRate.toFixed(0)}/s (${row.crossChecked} cross-checked, ${row.wrongStory} wrong story)`,
  );
  return row;
}

/**
 * The rows of a section's table already in the doc (other sizes or backends than this run's), by
 * key (the row's first cells; prettier may have padded them). Run `npx prettier --write
 * docs/BENCHMARKS.md` after a bench: the new rows are not aligned.
 */
function previousRows(heading: string, row: RegExp): Map<string, string> {
  const out = new Map<string, string>();
  let doc: string;
  try {
    doc = readFileSync(BENCHMARKS_DOC, 'utf8');
  } catch {
    return out;
  }
  const at = doc.indexOf(heading);
  if (at < 0) return out;
  const section = doc.slice(at).split(/\n(?=## )/)[0] ?? '';
  for (const line of section.split('\n')) {
    const m = row.exec(line);
    if (m) out.set(m.slice(1).join(' '), line);
  }
  return out;
}

/**
 * Writes a table section of docs/BENCHMARKS.md (`## <title> (\`npm run bench:corpus\`)`) with its
 * rows ordered by key ("<backend> <articles>": smaller stores first, SQLite before PostgreSQL), when
 * it has any, and returns it.
 */
function writeTableSection(
  title: string,
  intro: readonly string[],
  header: string,
  lines: Map<string, string>,
  rerun: string,
): string {
  const rows = [...lines.entries()]
    .sort(([a], [b]) => {
      const [ba, na] = a.split(' ');
      const [bb, nb] = b.split(' ');
      return Number(na) - Number(nb) || ((ba ?? '') < (bb ?? '') ? 1 : -1);
    })
    .map(([, l]) => l);
  const section = [
    `## ${title} (\`npm run bench:corpus\`)`,
    '',
    ...intro.flatMap((t) => [t, '']),
    header,
    `|${' --- |'.repeat(header.split('|').length - 2)}`,
    ...rows,
    '',
    rerun,
  ].join('\n');
  if (lines.size > 0) writeBenchSection(`## ${title}`, section);
  return section;
}

if (PARTS.has('scale')) {
  const lines = previousRows('## Corpus scale', /^\|\s*(SQLite|PostgreSQL)\s*\|\s*(\d+)\s*\|/);
  /** Writes the section with the rows so far (after each row, so an interrupted run keeps them). */
  const writeScale = (): string =>
    writeTableSection(
      'Corpus scale',
      [
        `Measured on ${machine}, in one process (store open, model loaded); the 1-minute load average at start–end of each measurement says how much other work shared the machine's cores (above about 0.5, wall times are pessimistic). The CPU column is this process's own CPU time per claim (for PostgreSQL the server's work is not in it). The generated store is denser than real news: its words come from 1,683 bodies, so common terms occur in a large share of the articles and each full-text search scores many of them.`,
        `Generated articles (8–27 sentences drawn from random FNC-1 training bodies, never written to the repository), ingested in batches of 500 with analysis; claim latency over ${QUERIES} dev headlines (\`--top 20\`, first time each, so no cached verdicts: ${poolSize(20)} full-text candidates, the best ${modelPoolSize(20)} by the cheap score plus up to ${feedbackPoolSize(20)} from the feedback search classified, 20 explained); audit rate over the first ${AUDIT_SAMPLE} articles, of which every tenth is under the previous article's headline (a headline over another story whose own story is stored), with how many of them the audit cross-checked (searched the store for their headline: docs/CORPUS.md) and flagged as a wrong story.`,
      ],
      '| backend | articles | ingest (articles/s) | claim p50 / p99 wall | claim p50 / p99 CPU | load (claims) | audit (articles/s) | date |',
      lines,
      'Rerun: `nice -n 5 npm run bench:corpus` (`STANCECHECK_BENCH_PARTS=scale STANCECHECK_BENCH_SIZES=10000 STANCECHECK_BENCH_BACKENDS=sqlite` for one row).',
    );
  for (const n of SIZES)
    for (const b of ['sqlite', 'postgres'].filter((x) => BACKENDS.has(x))) {
      const where = await freshStore(b, `gen_${n}`);
      if (!where) continue;
      const c = await openCorpus(where.url);
      try {
        const r = await measure(c, backendName(b), n);
        lines.set(
          `${r.backend} ${r.n}`,
          `| ${r.backend} | ${r.n} | ${r.ingestRate.toFixed(0)} (load ${r.ingestLoad}) | ${r.p50.toFixed(0)} / ${r.p99.toFixed(0)} ms | ${r.cpu50.toFixed(0)} / ${r.cpu99.toFixed(0)} ms | ${r.claimLoad} | ${r.auditRate.toFixed(0)} (${r.crossChecked} cross-checked, ${r.wrongStory} wrong story; load ${r.auditLoad}) | ${today} |`,
        );
        writeScale();
      } finally {
        await c.close();
        await where.drop();
      }
    }
  console.log(writeScale());
}
if (PARTS.has('refresh')) {
  const lines = previousRows('## Corpus audit refresh', /^\|\s*(SQLite|PostgreSQL)\s*\|\s*(\d+)\s*\|/);
  const writeRefresh = (): string =>
    writeTableSection(
      'Corpus audit refresh',
      [
        `Measured on ${machine}, in one process. A store of generated articles (as in "Corpus scale": every tenth under the previous article's headline) from which the own stories of ${REFRESH_LATE} such misplaced headlines are left out, audited in full; then those ${REFRESH_LATE} stories are ingested and the store is audited again, which scores them and looks every older headline the model doubted up among them (docs/CORPUS.md, "the refresh"). "Misplaced found" counts the flagged of those ${REFRESH_LATE} headlines after each run, and in brackets those flagged because the headline fits another stored article far better (the generated articles reuse sentences, so a headline often fits others than its own story).`,
      ],
      '| backend | articles | full audit | stories stored later | next audit: scored, refreshed, time | misplaced found: full audit → next audit | date |',
      lines,
      'Rerun: `STANCECHECK_BENCH_PARTS=refresh nice -n 5 npm run bench:corpus` (STANCECHECK_BENCH_REFRESH_SIZE, STANCECHECK_BENCH_BACKENDS choose the rows).',
    );
  const all = [...generate(REFRESH_SIZE, 7)];
  // Article i is the own story of the misplaced headline over article i + 1 (i % 10 === 8).
  const late = new Set<number>();
  for (
    let i = 8;
    i + 1 < all.length && late.size < REFRESH_LATE;
    i += 10 * Math.floor(all.length / (10 * REFRESH_LATE))
  )
    late.add(i);
  const misplaced = new Set([...late].map((i) => all[i + 1]?.id as string));
  /** The misplaced headlines flagged, and (in brackets) how many of them as belonging to another stored article. */
  const found = (r: AuditReport): string => {
    const f = r.flagged.filter((x) => x.finding === 'wrong-story' && misplaced.has(x.id));
    return `${f.length} (${f.filter((x) => x.elsewhere !== undefined).length})`;
  };
  for (const b of ['sqlite', 'postgres'].filter((x) => BACKENDS.has(x))) {
    const where = await freshStore(b, `refresh_${REFRESH_SIZE}`);
    if (!where) continue;
    const c = await openCorpus(where.url);
    try {
      await ingest(
        c,
        items(
          all.filter((_, i) => !late.has(i)),
          5000,
          `${b} refresh:`,
        ),
        { batchSize: 500 },
      );
      let t = performance.now();
      const l0 = load();
      const full = await audit(c, { batchSize: 500 });
      const fullRate = full.scored / ((performance.now() - t) / 1000);
      const fullLoad = `${l0}–${load()}`;
      log(
        `${b} refresh: full audit ${fullRate.toFixed(0)}/s, ${found(full)} of ${misplaced.size} misplaced found`,
      );
      await ingest(c, items(all.filter((_, i) => late.has(i))), { batchSize: 500 });
      t = performance.now();
      const l1 = load();
      const next = await audit(c, { batchSize: 500 });
      const seconds = (performance.now() - t) / 1000;
      log(
        `${b} refresh: next audit ${next.scored} scored, ${next.refreshed} refreshed in ${seconds.toFixed(1)} s, ${found(next)} found`,
      );
      lines.set(
        `${backendName(b)} ${REFRESH_SIZE}`,
        `| ${backendName(b)} | ${REFRESH_SIZE} | ${full.scored} in ${(full.scored / fullRate).toFixed(0)} s, ${fullRate.toFixed(0)}/s (${full.crossChecked} cross-checked; load ${fullLoad}) | ${late.size} | ${next.scored}, ${next.refreshed}, ${seconds.toFixed(1)} s (load ${l1}–${load()}) | ${found(full)} → ${found(next)} of ${misplaced.size} | ${today} |`,
      );
      writeRefresh();
    } finally {
      await c.close();
      await where.drop();
    }
  }
  console.log(writeRefresh());
}
rmSync(TMP, { recursive: true, force: true });

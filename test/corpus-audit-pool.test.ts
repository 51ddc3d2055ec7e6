/**
 * The corpus audit on the worker pool: the same stored results and report as scoring on the calling
 * thread, and a damaged stored analysis reported as DB_CORRUPT naming its article, not a crash; over
 * HTTP, the server's audit on its own worker pool (through the corpus writer thread).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { audit, ingest, openCorpus, type ArticleInput, type Corpus } from '../src/adapters/corpus/corpus.js';
import { WorkerPool } from '../src/adapters/workers/pool.js';
import { createTaskRunner } from '../src/adapters/workers/tasks.js';
import { loadCheckerWithVocab } from '../src/adapters/fs/load-checker.js';
import { DEFAULT_AUDIT_THRESHOLDS } from '../src/core/corpus/rank.js';
import { StanceError } from '../src/core/errors.js';
import { freshSqlite, type TestDb } from './helpers/corpus-backends.js';
import { CORPUS_STORIES, bulkJsonl } from './helpers/corpus-articles.js';
import { SHARK_REFUTES, SHARK_SUPPORTS } from './helpers/articles.js';
import { postJson, SKIP_NO_MODEL, testModelPath } from './http-helpers.js';
import {
  startCorpusService,
  type AuditPoolRef,
  type CorpusService,
} from '../src/adapters/http/corpus-service.js';
import { startServer } from '../src/adapters/http/server.js';

async function* from(items: readonly ArticleInput[]): AsyncGenerator<ArticleInput> {
  yield* items;
}

const BULK = bulkJsonl(0, 20)
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as ArticleInput);

/**
 * 30 articles: the stories (one is a ceasefire report under another war's headline), 20 reports of
 * which every fourth carries one of the stories' headlines, one with a subtitle that disputes its
 * headline, one with only a subtitle, one with neither, and a body in German.
 */
const ARTICLES: ArticleInput[] = [
  ...CORPUS_STORIES,
  ...BULK.map((a, i) =>
    i % 4 === 0 ? { ...a, headline: CORPUS_STORIES[i % CORPUS_STORIES.length]?.headline as string } : a,
  ),
  {
    id: 'subtitled',
    headline: 'Bull shark filmed on flooded Dunmore motorway',
    subtitle: 'No, a shark was not swimming on the Dunmore motorway',
    body: `${SHARK_SUPPORTS} Drivers were told to stay away.`,
  },
  { id: 'subtitle-only', subtitle: 'Claims of shark on flooded motorway spread online', body: SHARK_REFUTES },
  { id: 'no-headline', body: `${SHARK_SUPPORTS} The road reopened on Friday.` },
  {
    id: 'german',
    headline: 'Hai auf überfluteter Autobahn gefilmt',
    body: 'Ein Hai wurde am Dienstag auf der überfluteten Autobahn bei Dunmore gefilmt. Die Polizei bestätigte das Video. Die Straße bleibt bis Freitag gesperrt.',
  },
];

/** Every stored audit row, in key order. */
function auditRows(db: string): unknown[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT key, model, finding, score, result FROM corpus_audits ORDER BY key').all();
  } finally {
    d.close();
  }
}

describe('corpus audit on the worker pool', { skip: SKIP_NO_MODEL }, () => {
  let pool: WorkerPool;
  const dbs: TestDb[] = [];
  const corpora: Corpus[] = [];
  const fresh = async (): Promise<{ db: string; c: Corpus }> => {
    const t = await freshSqlite();
    dbs.push(t);
    const c = await openCorpus(t.db, testModelPath());
    corpora.push(c);
    await ingest(c, from(ARTICLES));
    return { db: t.db, c };
  };
  before(async () => {
    pool = await WorkerPool.start({ size: 2, modelPath: testModelPath() });
  });
  after(async () => {
    await pool?.close();
    for (const c of corpora) await c.close();
    for (const t of dbs) await t.cleanup();
  });

  it('stores the same results and reports the same JSON with a 2-worker pool as on the calling thread', async () => {
    const here = await fresh();
    const there = await fresh();
    const seen: number[] = [];
    const inProcess = await audit(here.c);
    // Small pages: several pages, each cut into chunks, the next one sent while this one is saved.
    const onPool = await audit(there.c, { pool, batchSize: 7, onProgress: (n) => seen.push(n) });
    assert.equal(inProcess.scored, ARTICLES.length);
    assert.ok(inProcess.flagged.length > 0, 'the audit flags something to compare');
    assert.equal(JSON.stringify(onPool), JSON.stringify(inProcess));
    const rows = auditRows(here.db);
    assert.equal(rows.length, ARTICLES.length);
    assert.deepEqual(auditRows(there.db), rows);
    assert.deepEqual(seen, [7, 14, 21, 28, 30]);
  });

  it('scores at most `limit` articles per run on the pool too, and the next run scores the rest', async () => {
    const { c } = await fresh();
    const first = await audit(c, { pool, batchSize: 4, limit: 10 });
    assert.equal(first.scored, 10);
    const second = await audit(c, { pool, batchSize: 4 });
    assert.equal(second.scored, ARTICLES.length - 10);
    assert.equal((await audit(c, { pool })).scored, 0);
  });

  it('rejects an audit chunk with a damaged analysis with DB_CORRUPT naming the article, and the worker goes on', async () => {
    const [good] = ARTICLES;
    const { c } = await fresh();
    const stored = (await c.store.byId(good?.id as string)) ?? assert.fail('stored');
    const article = {
      key: stored.key,
      id: stored.id,
      headline: stored.headline,
      body: stored.body,
      analysis: new Uint8Array(stored.analysis),
    };
    const thresholds = DEFAULT_AUDIT_THRESHOLDS;
    const damaged = [
      Uint8Array.from([1, 2, 3, 4]), // not deflate data
      new Uint8Array(deflateRawSync(Buffer.from('{"v":1,"s":["x"]'))), // not an analysis
    ];
    for (const analysis of damaged) {
      await assert.rejects(
        pool.run({
          kind: 'auditChunk',
          articles: [article, { ...article, id: 'broken', analysis }],
          thresholds,
        }),
        (e: unknown) =>
          e instanceof StanceError &&
          e.code === 'DB_CORRUPT' &&
          /the stored analysis of article broken is damaged.*corpus reindex/.test(e.message),
      );
    }
    const [record] = await pool.run({ kind: 'auditChunk', articles: [article], thresholds });
    const { checker, vocab } = await loadCheckerWithVocab(testModelPath());
    const [here] = createTaskRunner(checker, { vocab })({
      kind: 'auditChunk',
      articles: [article],
      thresholds,
    });
    assert.deepEqual(record, here, 'the workers still score, and as in-process');
    assert.equal(pool.stats().restarts, 0);
  });

  it('fails an audit over a store with a damaged analysis with DB_CORRUPT, keeping the pages before it', async () => {
    const { db, c } = await fresh();
    const victim = (await c.store.byId('bulk-12')) ?? assert.fail('stored');
    const d = new Database(db);
    d.prepare('UPDATE corpus_articles SET analysis = ? WHERE key = ?').run(Buffer.from('junk'), victim.key);
    d.close();
    await assert.rejects(
      audit(c, { pool, batchSize: 5 }),
      (e: unknown) => e instanceof StanceError && e.code === 'DB_CORRUPT' && e.message.includes('bulk-12'),
    );
    const saved = auditRows(db).length;
    assert.ok(saved > 0 && saved % 5 === 0 && saved < ARTICLES.length, `${saved} saved`);
  });
});

describe('corpus audit over HTTP on the server worker pool', { skip: SKIP_NO_MODEL }, () => {
  const dbs: TestDb[] = [];
  const corpora: Corpus[] = [];
  let pool: WorkerPool;
  let expected: string;
  let expectedRows: unknown[];
  before(async () => {
    pool = await WorkerPool.start({ size: 2, modelPath: testModelPath() });
    // The reference: the same articles audited on the calling thread.
    const t = await freshSqlite();
    dbs.push(t);
    const c = await openCorpus(t.db, testModelPath());
    corpora.push(c);
    await ingest(c, from(ARTICLES));
    expected = JSON.stringify(await audit(c));
    expectedRows = auditRows(t.db);
  });
  after(async () => {
    await pool?.close();
    for (const c of corpora) await c.close();
    for (const t of dbs) await t.cleanup();
  });

  /** A corpus service on a fresh file holding ARTICLES, auditing through `auditPool`. */
  const service = async (auditPool: AuditPoolRef): Promise<{ db: string; s: CorpusService }> => {
    const t = await freshSqlite();
    dbs.push(t);
    const model = testModelPath();
    const s = await startCorpusService({ db: t.db, ...(model ? { model } : {}), auditPool: () => auditPool });
    await s.ingest(ARTICLES);
    return { db: t.db, s };
  };

  it('scores the chunks on the pool it is given, at most one per worker at a time, with the same results as the writer alone', async () => {
    let runs = 0;
    let active = 0;
    let most = 0;
    const { db, s } = await service({
      size: pool.size,
      run: async (task) => {
        runs++;
        most = Math.max(most, ++active);
        try {
          return await pool.run(task);
        } finally {
          active--;
        }
      },
    });
    try {
      const report = await s.audit();
      assert.equal(JSON.stringify(report), expected);
      assert.deepEqual(auditRows(db), expectedRows);
      // One page of 200 holds the 30 articles: cut into 4 chunks per worker.
      assert.equal(runs, 2 * 4);
      assert.ok(most <= pool.size, `${most} chunks at once on a ${pool.size}-worker pool`);
    } finally {
      await s.close();
    }
  });

  it('scores a chunk the pool refuses on the writer thread, with the same results', async () => {
    let refused = 0;
    const { db, s } = await service({
      size: 2,
      run: () => {
        refused++;
        return Promise.reject(new StanceError('OVERLOADED', 'too many requests are waiting'));
      },
    });
    try {
      assert.equal(JSON.stringify(await s.audit()), expected);
      assert.deepEqual(auditRows(db), expectedRows);
      assert.ok(refused > 0);
    } finally {
      await s.close();
    }
  });

  it('runs POST /v1/corpus/audit of a two-worker server on its pool, with the same report as in-process', async () => {
    const t = await freshSqlite();
    dbs.push(t);
    const token = 'test-token-0123456789abcdef';
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      workers: 2,
      model: testModelPath(),
      db: t.db,
      token,
    });
    try {
      const auth = { authorization: `Bearer ${token}` };
      const ndjson = ARTICLES.map((a) => JSON.stringify(a)).join('\n') + '\n';
      const ing = await fetch(`${server.url}/v1/corpus/ingest`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/x-ndjson' },
        body: ndjson,
      });
      assert.equal(ing.status, 200, await ing.clone().text());
      const res = await postJson(`${server.url}/v1/corpus/audit`, '', auth);
      assert.equal(res.status, 200, res.text);
      assert.equal(JSON.stringify(res.json), expected);
      assert.ok(server.stats().auditChunks > 0, 'the audit went to the pool');
    } finally {
      await server.close();
    }
  });
});

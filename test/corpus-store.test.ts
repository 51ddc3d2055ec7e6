/**
 * One behaviour suite for the corpus, run against both backends: the embedded SQLite file and a
 * real PostgreSQL on loopback (skipped with a visible message when it is not reachable; failing
 * instead under STANCECHECK_REQUIRE_SERVICES=1).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import Database from 'better-sqlite3';
import {
  audit,
  auditFindings,
  claim,
  exportArticles,
  ingest,
  openCorpus,
  reindex,
  restoreArticle,
  type ArticleInput,
  type Corpus,
  type Rejected,
} from '../src/adapters/corpus/corpus.js';
import { openStore } from '../src/adapters/store/open-store.js';
import { MIGRATIONS, POSTGRES_SCHEMA_VERSION } from '../src/adapters/store/postgres.js';
import { isStanceError } from '../src/core/errors.js';
import { LABELS } from '../src/core/labels.js';
import { CHECKER_RULES_VERSION } from '../src/core/features/contradiction.js';
import { AUDIT_RULES_VERSION } from '../src/core/corpus/rank.js';
import type { AuditRecord } from '../src/core/corpus/store.js';
import { BACKENDS, type TestDb } from './helpers/corpus-backends.js';
import {
  CEASEFIRE_BODY,
  OTHER_WAR_HEADLINE,
  SHARK_CLAIM,
  SHARK_DISCUSSES,
  SHARK_REFUTES,
  SHARK_SUPPORTS,
  longOpEd,
} from './helpers/articles.js';

async function* from(items: (ArticleInput | Rejected)[]): AsyncGenerator<ArticleInput | Rejected> {
  yield* items;
}

const STORIES: ArticleInput[] = [
  {
    id: 'shark-1',
    headline: 'Bull shark filmed on flooded Dunmore motorway',
    body: SHARK_SUPPORTS,
    url: 'https://example.test/shark-1',
  },
  { id: 'shark-2', headline: 'No, a shark was not swimming on the Dunmore motorway', body: SHARK_REFUTES },
  { id: 'shark-3', headline: 'Claims of shark on flooded motorway spread online', body: SHARK_DISCUSSES },
  {
    id: 'ceasefire',
    headline: 'Ceasefire in Morvania comes into force after Geneva talks',
    body: CEASEFIRE_BODY,
  },
  {
    id: 'roadworks',
    headline: 'Dunmore council approves library budget',
    body: longOpEd('Dunmore will get a new public library next year, the council said.', 200),
  },
];

const HOSTILE = `Robert'); DROP TABLE corpus_articles; -- said "NEAR(" OR * ^ : the body ' ; \\ %_ \u0000x ends.`;

for (const backend of BACKENDS) {
  const skip = await backend.skip();
  describe(`corpus on ${backend.name}`, { skip: skip ?? false }, () => {
    let tdb: TestDb;
    let c: Corpus;
    before(async () => {
      tdb = await backend.fresh();
      c = await openCorpus(tdb.db);
    });
    after(async () => {
      await c?.close();
      await tdb?.cleanup();
    });

    it('stores each text once: a second ingest adds nothing, and a new id for the same text becomes an alias', async () => {
      const first = await ingest(c, from(STORIES));
      assert.equal(first.added, 5);
      const again = await ingest(c, from(STORIES));
      assert.deepEqual([again.added, again.duplicates, again.aliases], [0, 5, 0]);
      const alias = await ingest(c, from([{ ...STORIES[0], id: 'shark-1-syndicated' } as ArticleInput]));
      assert.equal(alias.aliases, 1);
      const a = await c.store.byId('shark-1-syndicated');
      assert.ok(a);
      assert.equal(a.id, 'shark-1');
      assert.deepEqual(a.ids, ['shark-1', 'shark-1-syndicated']);
      const stats = await c.store.stats(c.analysisVersion, c.modelVersion);
      assert.equal(stats.articles, 5);
      assert.equal(stats.ids, 6);
    });

    it('updates an id ingested again with a new text: the id names the new text, the old text keeps its other ids', async () => {
      const s = await ingest(
        c,
        from([{ id: 'shark-1', headline: 'x', body: 'Some other text entirely about a xylophonist.' }]),
      );
      assert.deepEqual([s.added, s.updated, s.conflicts.length], [0, 1, 0]);
      const now = await c.store.byId('shark-1');
      assert.equal(now?.headline, 'x');
      assert.deepEqual(now?.ids, ['shark-1']);
      const old = await c.store.byId('shark-1-syndicated');
      assert.equal(old?.headline, STORIES[0]?.headline, 'the old text stays under its other id');
      assert.deepEqual(old?.ids, ['shark-1-syndicated']);
      // Back to the original text: the id becomes an alias of the stored text; the xylophonist goes.
      const back = await ingest(c, from([STORIES[0] as ArticleInput]));
      assert.equal(back.updated, 1);
      assert.deepEqual((await c.store.byId('shark-1'))?.ids, ['shark-1-syndicated', 'shark-1']);
      const stats = await c.store.stats(c.analysisVersion, c.modelVersion);
      assert.equal(stats.articles, 5, 'the xylophonist text went with its last id');
      const hits = await c.store.search(['xylophonist'], 10);
      assert.equal(hits.length, 0, 'and is no longer found');
      // As before: 'shark-1' first, 'shark-1-syndicated' its alias (the later tests use both).
      await c.store.remove('shark-1-syndicated');
      await ingest(c, from([{ ...STORIES[0], id: 'shark-1-syndicated' } as ArticleInput]));
      assert.deepEqual((await c.store.byId('shark-1'))?.ids, ['shark-1', 'shark-1-syndicated']);
    });

    it('rejects empty bodies with a reason and stores the rest of the batch', async () => {
      const s = await ingest(
        c,
        from([
          { id: 'empty', body: '   ' },
          { rejected: true, where: 'f.jsonl:3', reason: 'invalid JSON' },
        ]),
      );
      assert.equal(s.rejected.length, 2);
      assert.match(s.rejected[0]?.reason ?? '', /empty/);
      assert.equal(await c.store.byId('empty'), undefined);
    });

    it('keeps the analysis compact and rebuilds the same verdict as checking the raw text', async () => {
      const stats = await c.store.stats(c.analysisVersion, c.modelVersion);
      assert.ok(
        stats.analysisBytesAvg > 0 && stats.analysisBytesAvg < 20_000,
        `${stats.analysisBytesAvg} bytes`,
      );
      const a = await c.store.byId('shark-2');
      assert.ok(a);
      const fromStore = c.checker.checkPrepared(SHARK_CLAIM, restoreArticle(a, c.model));
      const direct = c.checker.check({ headline: SHARK_CLAIM, body: SHARK_REFUTES });
      assert.deepEqual(fromStore.probabilities, direct.probabilities);
      assert.deepEqual(fromStore.evidence, direct.evidence);
    });

    it('answers a claim with the articles grouped by stance, counts, a summary and evidence', async () => {
      const a = await claim(c, SHARK_CLAIM, { top: 4 });
      assert.equal(
        a.articles.length,
        4,
        'the ceasefire story shares no word with the claim: not a candidate',
      );
      const stanceOf = new Map(a.articles.map((x) => [x.id, x.stance]));
      assert.equal(stanceOf.get('shark-1'), 'agree');
      assert.equal(stanceOf.get('shark-2'), 'disagree');
      assert.equal(stanceOf.get('shark-3'), 'discuss');
      assert.equal(stanceOf.get('roadworks'), 'unrelated');
      assert.equal(a.articles[3]?.id, 'roadworks', 'the unrelated article comes last');
      assert.equal(a.counts.unrelated, 1);
      assert.deepEqual(
        LABELS.reduce((n, l) => n + a.counts[l], 0),
        a.articles.length,
      );
      assert.match(a.summary, /^Of 3 related articles, 1 agree, 1 disagree, 1 discuss\.$/);
      const shark = a.articles.find((x) => x.id === 'shark-1');
      assert.equal(shark?.url, 'https://example.test/shark-1');
      assert.ok((shark?.evidence.length ?? 0) > 0);
      assert.deepEqual(a.groups.agree, ['shark-1']);
    });

    it('keeps verdicts per model and rules version, audits also per audit rules, and analyses per model only', () => {
      assert.equal(c.modelVersion, `${c.model.card.name}@${c.model.card.version}+${CHECKER_RULES_VERSION}`);
      assert.equal(c.auditVersion, `${c.modelVersion}+${AUDIT_RULES_VERSION}`);
      assert.ok(
        c.analysisVersion.endsWith(`/${c.model.card.name}@${c.model.card.version}`),
        c.analysisVersion,
      );
    });

    it('caches verdicts per claim and model: asking again gives the same answer from the cache', async () => {
      const before = (await c.store.stats(c.analysisVersion, c.modelVersion)).cachedVerdicts;
      assert.ok(before >= 4, `${before} cached`);
      const a1 = await claim(c, SHARK_CLAIM, { top: 4 });
      const after = (await c.store.stats(c.analysisVersion, c.modelVersion)).cachedVerdicts;
      assert.equal(after, before);
      assert.deepEqual(
        a1.articles.map((x) => [x.id, x.stance]),
        (await claim(c, SHARK_CLAIM, { top: 4 })).articles.map((x) => [x.id, x.stance]),
      );
    });

    it('audits headlines incrementally: a headline over another story is flagged as wrong story, with its reason', async () => {
      await ingest(
        c,
        from([
          {
            id: 'swapped',
            headline: OTHER_WAR_HEADLINE,
            body: `${CEASEFIRE_BODY} The monitors' first report is due next week.`,
          },
        ]),
      );
      const r1 = await audit(c);
      assert.equal(r1.checked, 6);
      assert.equal(r1.scored, 6);
      const flagged = r1.flagged.map((f) => f.id);
      assert.ok(flagged.includes('swapped'), JSON.stringify(r1.flagged));
      assert.ok(!flagged.includes('ceasefire') && !flagged.includes('shark-1'));
      const f = r1.flagged.find((x) => x.id === 'swapped');
      assert.equal(f?.finding, 'wrong-story');
      assert.match(f?.reason ?? '', /never mentions|does not talk about/);
      const r2 = await audit(c);
      assert.equal(r2.scored, 0, 'nothing new to score');
      assert.deepEqual(
        r2.flagged.map((x) => x.id),
        flagged,
        'every current finding is still reported',
      );
    });

    it("scores every article again under new audit rules and reports none of the older rules' findings", async () => {
      // The same store and model, audited as a stancecheck with other audit rules would.
      const newer: Corpus = { ...c, auditVersion: `${c.modelVersion}+x-next` };
      const before = await auditFindings(newer);
      assert.equal(before.flagged.length, 0, 'no finding made under other rules is reported');
      const r = await audit(newer);
      assert.equal(r.scored, r.checked);
      assert.ok(r.flagged.some((f) => f.id === 'swapped'));
      assert.equal((await audit(c)).scored, 0, 'the audits of this version are kept');
    });

    it('lists the audits whose cross-check looked only at articles stored before a key, by key, without those never cross-checked', async () => {
      const newest = await c.store.newestKey();
      const keys = (await c.store.page(0, 3)).map((a) => a.key);
      assert.equal(keys.length, 3);
      const [k1, k2, k3] = keys as [number, number, number];
      const model = 'stale-cross-check-test';
      await c.store.saveAudits(model, [
        { key: k1, finding: null, score: 0.1, result: '{"p":[0,0,0,1]}', checkedThrough: newest - 1 },
        { key: k2, finding: null, score: 0.2, result: '{"p":[0,0,0,1]}', checkedThrough: newest },
        { key: k3, finding: null, score: 0.3, result: '{"p":[1,0,0,0]}' },
      ]);
      const stale = await c.store.staleCrossChecks(model, newest, 0, 10);
      assert.deepEqual(
        stale.map((r) => [r.key, r.checkedThrough, r.score]),
        [[k1, newest - 1, 0.1]],
        'only the audit cross-checked before the newest article; one never cross-checked is not listed',
      );
      assert.deepEqual(await c.store.staleCrossChecks(model, newest, k1, 10), [], 'paged by key');
      assert.equal((await c.store.staleCrossChecks(model, newest - 1, 0, 10)).length, 0);
      // Saving again records how far the cross-check has looked now.
      await c.store.saveAudits(model, [{ ...(stale[0] as AuditRecord), checkedThrough: newest }]);
      assert.deepEqual(await c.store.staleCrossChecks(model, newest, 0, 10), []);
    });

    it('stores and finds hostile texts verbatim (parameterised SQL, quoted full-text terms)', async () => {
      const s = await ingest(
        c,
        from([
          { id: "id'); DROP TABLE corpus_ids; --", headline: HOSTILE, body: `${HOSTILE} ${SHARK_DISCUSSES}` },
        ]),
      );
      assert.equal(s.added, 1);
      const a = await c.store.byId("id'); DROP TABLE corpus_ids; --");
      assert.ok(a?.headline.includes("Robert'); DROP TABLE corpus_articles; --"));
      assert.ok(a?.body.includes('DROP TABLE corpus_articles'));
      const r = await claim(c, `"NEAR(" OR * ^ '); DROP TABLE corpus_articles; -- ${SHARK_CLAIM}`, {
        top: 3,
      });
      assert.ok(r.articles.length > 0);
      assert.equal((await c.store.stats(c.analysisVersion, c.modelVersion)).articles, 7);
    });

    it('removes an id; the text goes with its last id and is no longer found', async () => {
      assert.deepEqual(await c.store.remove('shark-1-syndicated'), { removed: true, articleRemoved: false });
      assert.deepEqual(await c.store.remove('shark-1'), { removed: true, articleRemoved: true });
      assert.deepEqual(await c.store.remove('shark-1'), { removed: false, articleRemoved: false });
      const a = await claim(c, SHARK_CLAIM, { top: 10 });
      assert.ok(!a.articles.some((x) => x.id === 'shark-1'));
      const ids: string[] = [];
      for await (const x of exportArticles(c.store)) ids.push(x.id);
      assert.ok(!ids.includes('shark-1') && ids.includes('shark-2'));
    });

    it('re-analyses articles from another analysis version with reindex', async () => {
      const page = await c.store.page(0, 2);
      await c.store.setAnalysis(
        page.map((a) => ({ key: a.key, analysis: a.analysis, analysisVersion: 'old' })),
      );
      assert.equal(await reindex(c), 2);
      assert.equal(await reindex(c), 0);
      await c.store.checkIntegrity();
    });

    it('audits a headline its own body contradicts as contradicted, naming the sentence and the word', async () => {
      await ingest(
        c,
        from([
          {
            id: 'withheld',
            headline: 'Norway has delivered patrol boats to Estonia',
            body: 'Norway has withheld the patrol boats from Estonia, its defence minister confirmed on Monday. Talks will continue next year.',
          },
        ]),
      );
      const r = await audit(c);
      const f = r.flagged.find((x) => x.id === 'withheld');
      assert.equal(f?.finding, 'contradicted', JSON.stringify(r.flagged));
      assert.match(f?.reason ?? '', /sentence 1.*"withheld"/i);
      assert.ok(
        r.flagged.some((x) => x.id === 'withheld'),
        'reported again from the store',
      );
      const again = await audit(c);
      assert.equal(again.flagged.find((x) => x.id === 'withheld')?.finding, 'contradicted');
    });

    it('refuses a database with a newer schema with a clear DB_VERSION error', async () => {
      await c.close();
      if (backend.name === 'sqlite') {
        const db = new Database(tdb.db);
        db.prepare(`UPDATE corpus_meta SET value = '99' WHERE key = 'schema_version'`).run();
        db.close();
      } else {
        const cl = new pg.Client({ connectionString: tdb.db });
        await cl.connect();
        await cl.query(`UPDATE corpus_meta SET value = '99' WHERE key = 'schema_version'`);
        await cl.end();
      }
      await assert.rejects(
        openStore(tdb.db),
        (e: unknown) => isStanceError(e) && e.code === 'DB_VERSION' && /newer/.test(e.message),
      );
      c = await openCorpus(tdb.db).catch(() => c);
    });
  });
}

describe('corpus on PostgreSQL: schema upgrade', () => {
  const pgBackend = BACKENDS.find((b) => b.name === 'postgres') as (typeof BACKENDS)[number];
  it('moves the search vectors of a version-1 database into their own table: its articles are still found, and removing one removes its vector', async (t) => {
    const skip = await pgBackend.skip();
    if (skip) return t.skip(skip);
    const tdb = await pgBackend.fresh();
    const cl = new pg.Client({ connectionString: tdb.db });
    await cl.connect();
    try {
      // A database as the first schema left it, with one article.
      await cl.query(`CREATE TABLE corpus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      await cl.query(MIGRATIONS[0] as string);
      await cl.query(`INSERT INTO corpus_meta VALUES ('schema_version', '1')`);
      const { rows } = await cl.query<{ key: string }>(
        `INSERT INTO corpus_articles (hash, headline, body, analysis, analysis_version)
         VALUES ('h1', 'Bull shark filmed on flooded motorway', 'A bull shark was filmed swimming on the flooded motorway near Dunmore.', '\\x00', 'old')
         RETURNING key`,
      );
      const key = Number(rows[0]?.key);
      await cl.query(`INSERT INTO corpus_ids (id, key, n) VALUES ('old-1', $1, 0)`, [key]);

      const store = await openStore(tdb.db);
      try {
        const version = await cl.query<{ value: string }>(
          `SELECT value FROM corpus_meta WHERE key = 'schema_version'`,
        );
        assert.equal(version.rows[0]?.value, String(POSTGRES_SCHEMA_VERSION));
        assert.ok(POSTGRES_SCHEMA_VERSION >= 2);
        const cols = await cl.query(
          `SELECT 1 FROM information_schema.columns WHERE table_name = 'corpus_articles' AND column_name = 'tsv'`,
        );
        assert.equal(cols.rowCount, 0, 'the old vector column is gone');
        const checked = await cl.query(
          `SELECT 1 FROM information_schema.columns WHERE table_name = 'corpus_audits' AND column_name = 'checked_through'`,
        );
        assert.equal(checked.rowCount, 1, 'version 3: how far each audit cross-checked');
        assert.deepEqual(
          (await store.search(['sharks'], 10)).map((h) => h.key),
          [key],
        );
        await store.remove('old-1');
        const left = await cl.query<{ n: number }>(`SELECT count(*)::int AS n FROM corpus_search`);
        assert.equal(left.rows[0]?.n, 0);
      } finally {
        await store.close();
      }
    } finally {
      await cl.end();
      await tdb.cleanup();
    }
  });
});

describe('corpus on SQLite: schema upgrade', () => {
  it('adds the cross-check column to a version-1 file, keeping its articles and audits', async () => {
    const sqlite = BACKENDS.find((b) => b.name === 'sqlite') as (typeof BACKENDS)[number];
    const tdb = await sqlite.fresh();
    try {
      let c = await openCorpus(tdb.db);
      await ingest(c, from(STORIES));
      const first = await audit(c);
      await c.close();
      // The file as version 1 left it: no checked_through column.
      const db = new Database(tdb.db);
      db.exec(`DROP INDEX corpus_audits_checked; ALTER TABLE corpus_audits DROP COLUMN checked_through;
        UPDATE corpus_meta SET value = '1' WHERE key = 'schema_version'`);
      db.close();
      c = await openCorpus(tdb.db);
      try {
        const stats = await c.store.stats(c.analysisVersion, c.auditVersion);
        assert.equal(stats.schemaVersion, 2);
        assert.equal(stats.articles, STORIES.length);
        assert.equal(stats.audited, STORIES.length, 'the audits are kept');
        const again = await audit(c);
        assert.deepEqual([again.scored, again.refreshed], [0, 0]);
        assert.deepEqual(again.flagged, first.flagged);
      } finally {
        await c.close();
      }
    } finally {
      await tdb.cleanup();
    }
  });
});

describe('corpus database errors', () => {
  it('refuses a file that is not a SQLite database with DB_OPEN', async () => {
    const { freshSqlite } = await import('./helpers/corpus-backends.js');
    const t = await freshSqlite();
    writeFileSync(t.db, 'Headline,Body ID\nnot a database\n');
    await assert.rejects(
      openStore(t.db),
      (e: unknown) => isStanceError(e) && e.code === 'DB_OPEN' && /not a SQLite database/.test(e.message),
    );
    await t.cleanup();
  });

  it('refuses a SQLite database of another application with DB_OPEN', async () => {
    const { freshSqlite } = await import('./helpers/corpus-backends.js');
    const t = await freshSqlite();
    const db = new Database(t.db);
    db.exec('CREATE TABLE invoices (n INTEGER)');
    db.close();
    await assert.rejects(
      openStore(t.db),
      (e: unknown) => isStanceError(e) && e.code === 'DB_OPEN' && /not a stancecheck corpus/.test(e.message),
    );
    await t.cleanup();
  });

  it('reports an unreachable PostgreSQL server with DB_OPEN, not a crash', async () => {
    await assert.rejects(
      openStore('postgres://nobody:secret@127.0.0.1:1/none'),
      (e: unknown) => isStanceError(e) && e.code === 'DB_OPEN' && !e.message.includes('secret'),
    );
  });
});

/**
 * The store's full-text search on both backends (PostgreSQL skipped with a visible message when
 * unreachable, failing instead under STANCECHECK_REQUIRE_SERVICES=1), and the quorum queries the
 * PostgreSQL store asks its index first.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ingest, openCorpus, type ArticleInput, type Corpus } from '../src/adapters/corpus/corpus.js';
import { quorumLevels, quorumQuery } from '../src/adapters/store/postgres.js';
import { BACKENDS, type TestDb } from './helpers/corpus-backends.js';

async function* from(items: ArticleInput[]): AsyncGenerator<ArticleInput> {
  yield* items;
}

const FILLER = 'The weather was mild and the roads were quiet on the day.';

// Three articles that hold all three search words once; six that repeat one of them.
const ALL_WORDS = ['glacier', 'turbine', 'referendum'];
const ARTICLES: ArticleInput[] = [
  ...[1, 2, 3].map((i) => ({
    id: `all-${i}`,
    headline: `Report number ${i}`,
    body: `A glacier survey, a turbine order and a referendum date were announced in town ${i}. ${FILLER}`,
  })),
  ...[1, 2, 3, 4, 5, 6].map((i) => ({
    id: `one-${i}`,
    headline: `Glacier note ${i}`,
    body: `Glacier glacier glacier. The glacier moved; the glacier shrank; glacier walks for visitor ${i}.`,
  })),
];

for (const backend of BACKENDS) {
  const skip = await backend.skip();
  describe(`full-text search on ${backend.name}`, { skip: skip ?? false }, () => {
    let tdb: TestDb;
    let c: Corpus;
    before(async () => {
      tdb = await backend.fresh();
      c = await openCorpus(tdb.db);
      await ingest(c, from(ARTICLES));
    });
    after(async () => {
      await c?.close();
      await tdb?.cleanup();
    });

    it('puts the articles that hold every search word before those that repeat only one of them', async () => {
      const hits = await c.store.search(ALL_WORDS, 3);
      const ids = await Promise.all(hits.map(async (h) => (await c.store.get([h.key]))[0]?.headline));
      assert.deepEqual([...ids].sort(), ['Report number 1', 'Report number 2', 'Report number 3']);
    });

    it('still finds the articles that hold only some of the words when too few hold them all', async () => {
      const hits = await c.store.search(ALL_WORDS, 20);
      assert.equal(hits.length, ARTICLES.length);
      const first = await c.store.get(hits.slice(0, 3).map((h) => h.key));
      assert.ok(first.every((a) => a.headline.startsWith('Report number')));
    });
  });
}

describe('quorum queries (PostgreSQL search)', () => {
  it('tries every lexeme first, then one fewer, down to two, while the query stays small', () => {
    assert.deepEqual(quorumLevels(1), []);
    assert.deepEqual(quorumLevels(2), [2]);
    assert.deepEqual(quorumLevels(5), [5, 4, 3, 2]);
    // 10 lexemes: 1, 10 and 45 clauses; 120 for seven of ten is too many.
    assert.deepEqual(quorumLevels(10), [10, 9, 8]);
  });

  it('writes "at least m of n" as an OR of every m-lexeme AND, quoting each lexeme', () => {
    assert.equal(quorumQuery(['a', 'b', 'c'], 2), "('a' & 'b') | ('a' & 'c') | ('b' & 'c')");
    assert.equal(quorumQuery(['a', 'b', 'c'], 3), "('a' & 'b' & 'c')");
    assert.equal(quorumQuery(["o'neil", 'back\\slash'], 2), "('o''neil' & 'back\\\\slash')");
  });
});

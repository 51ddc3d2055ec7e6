/**
 * The store's full-text search on both backends (PostgreSQL skipped with a visible message when
 * unreachable, failing instead under STANCECHECK_REQUIRE_SERVICES=1), and the quorum queries both
 * stores ask their index first.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ingest, openCorpus, type ArticleInput, type Corpus } from '../src/adapters/corpus/corpus.js';
import { quorumLevels, quorumQuery, quorumSearch } from '../src/adapters/store/quorum.js';
import { quoteLexeme, TSQUERY_OPS } from '../src/adapters/store/postgres.js';
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

    it('ranks, narrowed, the articles holding all the rarest words above a short one that repeats one of them', async () => {
      // A plain OR search ranked by BM25 puts the short repeater first: its one word saturates.
      const tdb2 = await backend.fresh();
      const c2 = await openCorpus(tdb2.db);
      try {
        const long = (i: number): string =>
          `${'The council met again on a wet afternoon and heard long reports from every department. '.repeat(6)}Among them a falcon census, a quarry permit and a lighthouse repair in district ${i}.`;
        await ingest(
          c2,
          from([
            { id: 'repeat', headline: 'Falcon', body: 'Falcon falcon falcon falcon falcon falcon falcon.' },
            ...[1, 2].map((i) => ({ id: `all-${i}`, headline: `District ${i} minutes`, body: long(i) })),
            // Other articles, so that the three words are rare (BM25 gives a word in most articles no weight).
            ...Array.from({ length: 20 }, (_, i) => ({
              id: `other-${i}`,
              headline: `Market day ${i}`,
              body: `Stalls opened early on market day ${i} and traders sold bread, cheese and apples to the morning crowd.`,
            })),
          ]),
        );
        const heads = async (narrow: boolean): Promise<string[]> => {
          const hits = await c2.store.search(['falcon', 'quarry', 'lighthouse'], 2, { narrow });
          return (await c2.store.get(hits.map((h) => h.key))).map((a) => a.headline).sort();
        };
        assert.deepEqual(await heads(true), ['District 1 minutes', 'District 2 minutes']);
        // Not narrowed, SQLite ranks every match (BM25 puts the repeater first); PostgreSQL
        // always narrows.
        if (backend.name === 'sqlite') assert.ok((await heads(false)).includes('Falcon'));
        else assert.deepEqual(await heads(false), ['District 1 minutes', 'District 2 minutes']);
      } finally {
        await c2.close();
        await tdb2.cleanup();
      }
    });

    it('still finds the articles that hold only some of the words when too few hold them all', async () => {
      const hits = await c.store.search(ALL_WORDS, 20);
      assert.equal(hits.length, ARTICLES.length);
      const first = await c.store.get(hits.slice(0, 3).map((h) => h.key));
      assert.ok(first.every((a) => a.headline.startsWith('Report number')));
    });
  });
}

describe("quorum queries (both stores' search)", () => {
  const OPS = { and: '+', or: ',' };
  // A backend whose query matches `sizes[query]` articles (keys 0, 1, …) and answers its best `limit`.
  const fake = (sizes: Record<string, number>, limit: number) => {
    const asked: string[] = [];
    const ranked = (level: string | undefined, except: readonly number[]) => {
      asked.push(level ?? `OR-except-${except.length}`);
      const size = sizes[level ?? 'OR'] ?? 0;
      const keys = Array.from({ length: size }, (_, i) => ({ key: i })).filter(
        (h) => !except.includes(h.key),
      );
      return Promise.resolve(keys.slice(0, limit));
    };
    return { asked, ranked };
  };

  it('answers with the first level that has enough articles, asking no further', async () => {
    const f = fake({ '(a+b+c)': 1, '(a+b),(a+c),(b+c)': 7, OR: 50 }, 5);
    const hits = await quorumSearch(['a', 'b', 'c'], 5, OPS, f.ranked);
    assert.equal(hits.length, 5);
    assert.deepEqual(f.asked, ['(a+b+c)', '(a+b),(a+c),(b+c)']);
  });

  it("fills a small store's answer from the plain OR search, the last level's articles first and none twice", async () => {
    const f = fake({ '(a+b+c)': 1, '(a+b),(a+c),(b+c)': 3, OR: 50 }, 10);
    const hits = await quorumSearch(['a', 'b', 'c'], 10, OPS, f.ranked);
    assert.deepEqual(f.asked, ['(a+b+c)', '(a+b),(a+c),(b+c)', 'OR-except-3']);
    assert.deepEqual(
      hits.map((h) => h.key),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
  });

  it('searches a single word with the plain OR search alone', async () => {
    const f = fake({ OR: 4 }, 10);
    assert.equal((await quorumSearch(['a'], 10, OPS, f.ranked)).length, 4);
    assert.deepEqual(f.asked, ['OR-except-0']);
  });

  it('tries every lexeme first, then one fewer, down to two, while the query stays small', () => {
    assert.deepEqual(quorumLevels(1), []);
    assert.deepEqual(quorumLevels(2), [2]);
    assert.deepEqual(quorumLevels(5), [5, 4, 3, 2]);
    // 10 lexemes: 1, 10 and 45 clauses; 120 for seven of ten is too many.
    assert.deepEqual(quorumLevels(10), [10, 9, 8]);
  });

  it('writes "at least m of n" as an OR of every m-lexeme AND, quoting each lexeme', () => {
    const q = (ls: string[], m: number): string => quorumQuery(ls.map(quoteLexeme), m, TSQUERY_OPS);
    assert.equal(q(['a', 'b', 'c'], 2), "('a' & 'b') | ('a' & 'c') | ('b' & 'c')");
    assert.equal(q(['a', 'b', 'c'], 3), "('a' & 'b' & 'c')");
    assert.equal(q(["o'neil", 'back\\slash'], 2), "('o''neil' & 'back\\\\slash')");
  });
});

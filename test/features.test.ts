import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  FEATURE_GROUPS,
  FEATURE_NAMES,
  NUM_FEATURES,
  pairFeatures,
  prepareBody,
  prepareClaim,
  sentenceDots,
  dot,
  topIndexes,
  type PairContext,
  type SentenceInfo,
} from '../src/core/features/extract.js';
import { buildIdf, type Vocabulary } from '../src/core/features/vocabulary.js';
import { SHARK_CLAIM, SHARK_DISCUSSES, SHARK_REFUTES, SHARK_SUPPORTS } from './helpers/articles.js';
import { assertLinearTime } from './helpers/timing.js';
import { createRandom } from '../src/core/model/random.js';
import { tokenize, isStopword } from '../src/core/text/tokenize.js';
import { bestSentence } from '../src/core/features/neural-inputs.js';

const { idf, defaultIdf } = buildIdf([
  ['shark', 'swim', 'flood', 'motorwai', 'dunmor'],
  ['polic', 'hoax', 'photo', 'motorwai'],
]);
const vocab: Vocabulary = { idf, defaultIdf, avgBodyLength: 40, dim: 0 };

/** A random unit vector of `dim` components for each word, drawn in order from seed `seed`. */
function unitVectors(words: readonly string[], dim: number, seed: number): Map<string, Float32Array> {
  const rnd = createRandom(seed);
  const vectors = new Map<string, Float32Array>();
  for (const w of words) {
    const v = Float32Array.from({ length: dim }, () => rnd() * 2 - 1);
    const n = Math.hypot(...v);
    vectors.set(
      w,
      v.map((x) => x / n),
    );
  }
  return vectors;
}

function contextOf(claimText: string, bodyText: string): PairContext {
  const claim = prepareClaim(claimText, vocab);
  const body = prepareBody(bodyText, vocab);
  const { alignment } = pairFeatures(claim, body, vocab);
  const top = topIndexes(alignment, 3);
  const nS = body.info.length;
  return {
    claim,
    body,
    vocab,
    alignment,
    top,
    best: top[0],
    vecSims: new Float64Array(nS),
    hasVec: false,
    nS,
  };
}

describe('pair features', () => {
  it('every feature group writes exactly as many finite values as it names', () => {
    const pairs: [string, string][] = [
      [SHARK_CLAIM, SHARK_SUPPORTS],
      [SHARK_CLAIM, SHARK_REFUTES],
      [SHARK_CLAIM, SHARK_DISCUSSES],
      ['Not a shark, no hoax', 'x'],
      ['?', '.'],
    ];
    for (const [c, b] of pairs) {
      const ctx = contextOf(c, b);
      for (const group of FEATURE_GROUPS) {
        const values: readonly number[] = group.write(ctx);
        assert.equal(values.length, group.names.length, `group of ${group.names[0]}`);
        for (const v of values) assert.ok(Number.isFinite(v), `${group.names[0]}…: ${v}`);
      }
    }
  });

  it('names each feature once, as group.feature, with each group under one prefix', () => {
    assert.equal(new Set(FEATURE_NAMES).size, FEATURE_NAMES.length);
    assert.equal(
      NUM_FEATURES,
      FEATURE_GROUPS.reduce((n, g) => n + g.names.length, 0),
    );
    for (const group of FEATURE_GROUPS) {
      const prefixes = new Set(group.names.map((n) => n.split('.')[0]));
      assert.equal(prefixes.size, 1, [...prefixes].join(', '));
      for (const n of group.names) assert.match(n, /^[a-z0-9]+\.[a-z0-9_]+$/);
    }
  });

  it('fills the whole vector, in the order of the names', () => {
    const claim = prepareClaim(SHARK_CLAIM, vocab);
    const body = prepareBody(SHARK_REFUTES, vocab);
    const out = new Float64Array(NUM_FEATURES).fill(Number.NaN);
    pairFeatures(claim, body, vocab, out);
    for (let i = 0; i < NUM_FEATURES; i++)
      assert.ok(Number.isFinite(out[i]), `${FEATURE_NAMES[i]}: ${out[i]}`);
    assert.equal(out[FEATURE_NAMES.indexOf('length.claim')], claim.stems.length);
  });

  it('counts a cue word near a claim word within five tokens, not farther and not itself', () => {
    const at = (name: string) => FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number]);
    const features = (body: string) =>
      pairFeatures(prepareClaim('shark hoax', vocab), prepareBody(body, vocab), vocab).features;
    const near = features('The shark photo was not real and the shark story spread.');
    assert.ok((near[at('window.negation')] as number) > 0);
    const far = features('The shark photo spread on one two three four five six seven not.');
    assert.equal(far[at('window.negation')], 0);
    // "hoax" is both a claim word and a refuting cue: it does not count as near itself.
    const self = features('Readers of one two three four five six seven eight nine ten hoax.');
    assert.equal(self[at('window.refute')], 0);
  });

  it('computes cue windows in linear time on one long sentence without spaces', () => {
    const claim = prepareClaim('Bridge not opened', vocab);
    assertLinearTime(
      'cue windows on "bridge,not," repeated',
      (k) => prepareBody('bridge,not,'.repeat(16_000 * k), vocab),
      (body) => pairFeatures(claim, body, vocab),
    );
  });

  it("counts the claim's names the body never uses, and the body's own names found in the claim", () => {
    const at = (name: string) => FEATURE_NAMES.indexOf(name as (typeof FEATURE_NAMES)[number]);
    const names = (claim: string, body: string) => {
      const f = pairFeatures(prepareClaim(claim, vocab), prepareBody(body, vocab), vocab).features;
      return Object.fromEntries(
        FEATURE_NAMES.filter((n) => n.startsWith('names.')).map((n) => [n, f[at(n)] as number]),
      );
    };
    const headline = "Israel and Hamas agree to Gaza cease-fire deal, Netanyahu's office says";
    const otherWar = names(
      headline,
      'A cease-fire in Ukraine would help Russia. Leaders in Kyiv doubt that Russia wants a cease-fire. Many in Ukraine agree.',
    );
    // "Israel" opens the claim and is not rare in this vocabulary: not counted; the other three are names.
    assert.equal(otherWar['names.count'], 3);
    assert.equal(otherWar['names.missing'], 3);
    assert.equal(otherWar['names.missing_share'], 1);
    assert.equal(otherWar['names.missing_idf_share'], 1);
    assert.equal(otherWar['names.body_top_count'], 2);
    assert.equal(otherWar['names.body_top_found'], 0);
    const sameStory = names(
      headline,
      'Hamas and Israel agreed a cease-fire in Gaza, the office of Netanyahu said. Israeli officials in Gaza and Hamas leaders confirmed it.',
    );
    assert.equal(sameStory['names.missing'], 0);
    assert.ok((sameStory['names.count'] as number) >= 3);
    assert.equal(sameStory['names.body_top_first'], 1);
    // Title case: capitals say nothing, so "Police" is no name; "Dunmore" is one because the body writes it so.
    const titled = names(
      'Police Arrest Man In Dunmore',
      'A man was arrested by police in Dunmore on Friday.',
    );
    assert.equal(titled['names.count'], 1);
    assert.equal(titled['names.missing'], 0);
    // All caps, common words, a body without names: nothing counts.
    const caps = names('SHARK SWIMS ON FLOODED MOTORWAY', 'a shark swam along the flooded motorway.');
    assert.equal(caps['names.count'], 0);
    assert.equal(caps['names.body_top_count'], 0);
  });

  it('gives each headline word its best cosine to any word of the best sentences, a word in several of them counted once', () => {
    const dim = 7;
    const words = 'shark swam along flooded motorway police photo hoax storm drivers road water'.split(' ');
    const vectors = unitVectors(words, dim, 3);
    const withVectors: Vocabulary = { ...vocab, vectors, dim };
    // Five headline words with vectors (four share a pass, one is left over); body words repeat across sentences.
    const claimText = 'Shark swam along flooded motorway, police photo shows';
    const bodyText =
      'A shark swam along the flooded motorway. Police said the shark photo was a hoax. The motorway storm left drivers and water on the road.';
    const claim = prepareClaim(claimText, withVectors);
    const body = prepareBody(bodyText, withVectors);
    assert.equal(body.info.length, 3, 'three sentences: every one is among the best');
    const { features } = pairFeatures(claim, body, withVectors);
    const bodyWords = new Set(tokenize(bodyText).filter((t) => !isStopword(t) && vectors.has(t)));
    const best = [...new Set(tokenize(claimText))]
      .filter((t) => !isStopword(t) && vectors.has(t))
      .map((c) => {
        const a = vectors.get(c)!;
        let m = -1;
        for (const w of bodyWords) {
          const b = vectors.get(w)!;
          let d = 0;
          for (let k = 0; k < dim; k++) d += a[k]! * b[k]!;
          if (d > m) m = d;
        }
        return m;
      });
    assert.ok(best.length >= 5);
    let sum = 0;
    for (const m of best) sum += m;
    assert.equal(features[FEATURE_NAMES.indexOf('vectors.soft_overlap')], sum / best.length);
    assert.equal(features[FEATURE_NAMES.indexOf('vectors.soft_min')], Math.min(1, ...best));
  });

  it('gives each headline word its best cosine for 1 to 9 headline words against 1 to 9 distinct body words', () => {
    // Headline words are compared four at a time over two body words a pass, the rest one at a
    // time over four body words a pass: every split of both counts must give the plain maximum.
    const dim = 13;
    const pool =
      'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo'.split(
        ' ',
      );
    const vectors = unitVectors(pool, dim, 11);
    const withVectors: Vocabulary = { ...vocab, vectors, dim };
    for (let n = 1; n <= 9; n++) {
      for (let m = 1; m <= 9; m++) {
        const claimWords = pool.slice(0, n);
        const bodyWords = pool.slice(pool.length - m);
        const claim = prepareClaim(claimWords.join(' '), withVectors);
        const body = prepareBody(`${bodyWords.join(' ')}.`, withVectors);
        const { features } = pairFeatures(claim, body, withVectors);
        const best = claimWords.map((c) => {
          const a = vectors.get(c)!;
          let top = -1;
          for (const w of bodyWords) {
            const b = vectors.get(w)!;
            let d = 0;
            for (let k = 0; k < dim; k++) d += a[k]! * b[k]!;
            if (d > top) top = d;
          }
          return top;
        });
        let sum = 0;
        for (const x of best) sum += x;
        const at = `${n} headline words, ${m} body words`;
        assert.equal(features[FEATURE_NAMES.indexOf('vectors.soft_overlap')], sum / n, at);
        assert.equal(features[FEATURE_NAMES.indexOf('vectors.soft_min')], Math.min(1, ...best), at);
      }
    }
  });

  it("gives each sentence dot's own value for 0 to 9 sentences, some without a vector", () => {
    // Four sentences a pass, the rest one at a time; a sentence without a vector scores 0.
    const rnd = createRandom(5);
    const dim = 11;
    const unitVector = () => {
      const v = Float32Array.from({ length: dim }, () => rnd() * 2 - 1);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const claim = unitVector();
    for (let n = 0; n <= 9; n++) {
      const info = Array.from(
        { length: n },
        (_, i) => ({ vector: i % 5 === 3 ? new Float32Array(0) : unitVector() }) as SentenceInfo,
      );
      const want = info.map((s) => dot(claim, s.vector));
      assert.deepEqual(Array.from(sentenceDots(claim, info)), want, `${n} sentences`);
      assert.deepEqual(Array.from(sentenceDots(new Float32Array(0), info)), Array(n).fill(0));
    }
  });

  it("hands out the claim's dot product with each sentence vector, as the neural input's best sentence uses them", () => {
    const dim = 9;
    const pool = 'amber basil cedar dune ember fjord grove heath inlet jade'.split(' ');
    const vectors = unitVectors(pool, dim, 7);
    const withVectors: Vocabulary = { ...vocab, vectors, dim };
    const claim = prepareClaim('amber basil cedar', withVectors);
    const body = prepareBody(
      'Dune ember fjord. Grove heath amber. Inlet jade basil. Cedar dune. Nothing here. Amber jade.',
      withVectors,
    );
    const { alignment, vecSims } = pairFeatures(claim, body, withVectors);
    assert.deepEqual(
      Array.from(vecSims),
      body.info.map((s) => dot(claim.vector, s.vector)),
    );
    assert.equal(bestSentence(claim, body, alignment, vecSims), bestSentence(claim, body, alignment));
  });

  it('counts body names in linear time on one long sentence of capitalised words', () => {
    const claim = prepareClaim('Kyiv bridge opened', vocab);
    assertLinearTime(
      'names on "Kyiv, Bridge: Not" repeated',
      (k) => prepareBody('Kyiv, Bridge: "Not" '.repeat(3_000 * k), vocab),
      (body) => pairFeatures(claim, body, vocab),
    );
  });
});

/**
 * Training's paraphrased headlines (src/core/train/paraphrase.ts): copies of related training
 * pairs whose headline says some of the body's own words with a synonym. Texts written for the
 * project.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { paraphraseHeadline, paraphrasedPairs } from '../src/core/train/paraphrase.js';
import { SYNONYM_PAIRS } from '../src/core/train/synonyms.js';
import { createRandom } from '../src/core/model/random.js';
import type { Label } from '../src/core/labels.js';
import { trainModel } from '../src/core/train/train.js';
import { findEmbeddings } from '../src/adapters/fs/embeddings.js';

/** The list is derived with the GloVe vectors, which `npm run embeddings` installs (CI does). */
const vectors = await findEmbeddings();
const noVectors = vectors
  ? false
  : 'SKIPPED: word vectors not installed (run `npm run embeddings`); the synonym list cannot be re-derived';

const words = (text: string): Set<string> => new Set(text.match(/\b[a-z]+\b/g) ?? []);

describe('paraphrased training headlines', () => {
  it('say a word the body writes with its synonym and keep the other words', () => {
    const body = words('a strong earthquake hit the region on tuesday');
    const out = paraphraseHeadline('Earthquake hits Northern Valdoria', body, createRandom(1), 1);
    assert.equal(out, 'Quake hits Northern Valdoria');
  });

  it('never replace a word the body does not write in lower case, so names stay', () => {
    // "Patrol" has a synonym ("police"), but here it is a name: the body writes it only capitalised.
    const body = words('the Patrol band played on tuesday after the earthquake').add('Patrol');
    for (let seed = 1; seed <= 20; seed++) {
      const out = paraphraseHeadline('Patrol play concert after earthquake', body, createRandom(seed), 1);
      assert.ok(out?.startsWith('Patrol '), `seed ${seed}: ${out}`);
    }
  });

  it('give nothing when no headline word with a synonym is in the body', () => {
    const body = words('the minister opened a bridge over the river');
    assert.equal(
      paraphraseHeadline('Earthquake hits Northern Valdoria', body, createRandom(1), 1),
      undefined,
    );
  });

  it('copy related pairs only, keeping their label, with the weight given, the same for the same seed', () => {
    const bodies = new Map([
      ['1', 'A strong earthquake hit the region on Tuesday, officials said.'],
      ['2', 'The bakery sold bread on Tuesday.'],
    ]);
    const pairs: { headline: string; bodyId: string; label: Label }[] = [
      { headline: 'Earthquake hits the region', bodyId: '1', label: 'agree' },
      { headline: 'Earthquake hits the region', bodyId: '2', label: 'unrelated' },
      { headline: 'Earthquake feared in the region', bodyId: '1', label: 'discuss' },
    ];
    const a = paraphrasedPairs(pairs, bodies, { rate: 1, weight: 0.5, replace: 1 }, 3);
    assert.deepEqual(
      a.map((p) => [p.bodyId, p.label, p.weight]),
      [
        ['1', 'agree', 0.5],
        ['1', 'discuss', 0.5],
      ],
    );
    assert.ok(a.every((p) => p.headline.startsWith('Quake ')));
    assert.deepEqual(paraphrasedPairs(pairs, bodies, { rate: 1, weight: 0.5, replace: 1 }, 3), a);
    assert.deepEqual(paraphrasedPairs(pairs, bodies, { rate: 0, weight: 0.5 }, 3), []);
  });

  it('enter training as extra rows that the model card counts', () => {
    const bodies = new Map([
      ['1', 'A strong earthquake hit the region on Tuesday and damaged many houses.'],
      ['2', 'The bakery sold fresh bread and cakes to the village on Tuesday.'],
    ]);
    const pairs: { headline: string; bodyId: string; label: Label }[] = [
      { headline: 'Earthquake damages houses in the region', bodyId: '1', label: 'agree' },
      { headline: 'Earthquake damages houses in the region', bodyId: '2', label: 'unrelated' },
      { headline: 'Bakery sells bread to the village', bodyId: '2', label: 'agree' },
      { headline: 'Bakery sells bread to the village', bodyId: '1', label: 'unrelated' },
    ];
    const opts = { gbdt: { rounds: 2 }, mlp: false as const };
    const para = trainModel(pairs, bodies, { ...opts, paraphrases: { rate: 1, weight: 0.5, replace: 1 } });
    const plain = trainModel(pairs, bodies, opts);
    assert.ok(
      (para.card.notes ?? []).some((n) => /^1 paraphrased headlines /.test(n)),
      (para.card.notes ?? []).join('\n'),
    );
    assert.ok(!(plain.card.notes ?? []).some((n) => /paraphrased/.test(n)));
  });

  it('come from a list of distinct word pairs with no word paired with itself', () => {
    assert.ok(SYNONYM_PAIRS.length > 500);
    const seen = new Set<string>();
    for (const [a, b] of SYNONYM_PAIRS) {
      assert.ok(a < b, `${a} ${b} sorted`);
      assert.ok(!seen.has(`${a} ${b}`), `${a} ${b} once`);
      seen.add(`${a} ${b}`);
    }
  });

  it(
    'ship exactly the list scripts/make-synonyms.ts derives from WordNet and the vectors (no hand edits)',
    { skip: noVectors },
    () => {
      const out = execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('../scripts/make-synonyms.ts', import.meta.url)),
          '--check',
        ],
        { encoding: 'utf8' },
      );
      assert.match(out, /is up to date/);
    },
  );
});

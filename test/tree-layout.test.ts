/**
 * The prediction layout of the trees (complete trees walked by index arithmetic, see
 * compileEnsemble) gives exactly the scores of the plain node-by-node walk over the trees as the
 * model file stores them: same leaves, same float32 values, same order of summation.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  compileEnsemble,
  MAX_PADDED_DEPTH,
  predictScores,
  trainGbdt,
  type Tree,
  type TreeEnsemble,
} from '../src/core/model/gbdt.js';
import { createRandom } from '../src/core/model/random.js';
import { loadModel, DEFAULT_MODEL_PATH } from '../src/adapters/fs/model-file.js';
import type { Model } from '../src/core/model/model.js';
import { pairFeatures, prepareBody, prepareClaim } from '../src/core/features/extract.js';
import { readBodies, readStances } from '../src/adapters/fs/fnc-csv.js';
import { writeSyntheticFnc } from './helpers/synthetic-fnc.js';
import { SHARK_CLAIM, SHARK_DISCUSSES, SHARK_REFUTES, SHARK_SUPPORTS } from './helpers/articles.js';

/** The plain walk over the stored trees, as the model file describes them (float32 values). */
function referenceScores(model: TreeEnsemble, x: ArrayLike<number>): Float64Array {
  const s = Float64Array.from(model.baseScore);
  model.trees.forEach((t: Tree, ti) => {
    let n = 0;
    while ((t.left[n] as number) >= 0) {
      const go = (x[t.feature[n] as number] as number) <= Math.fround(t.threshold[n] as number);
      n = go ? (t.left[n] as number) : (t.right[n] as number);
    }
    const k = ti % model.numClass;
    s[k] = (s[k] as number) + Math.fround(t.value[n] as number);
  });
  return s;
}

function assertSameScores(model: TreeEnsemble, xs: readonly ArrayLike<number>[]): void {
  const compiled = compileEnsemble(model);
  const out = new Float64Array(model.numClass);
  xs.forEach((x, r) => {
    const want = referenceScores(model, x);
    predictScores(compiled, x, out);
    // Bit for bit: Object.is tells 0 from -0 and compares NaN with NaN.
    for (let k = 0; k < model.numClass; k++) {
      assert.ok(Object.is(out[k], want[k]), `row ${r}, class ${k}: ${out[k]} ≠ ${want[k]}`);
    }
  });
}

/** Feature vectors at, just around and far from the ensemble's thresholds, plus NaN and infinities. */
function probeVectors(model: TreeEnsemble, n: number, seed: number): Float64Array[] {
  const rand = createRandom(seed);
  const thresholds: number[][] = Array.from({ length: model.numFeatures }, () => []);
  for (const t of model.trees)
    t.feature.forEach((f, i) => {
      if ((t.left[i] as number) >= 0) thresholds[f]?.push(Math.fround(t.threshold[i] as number));
    });
  const specials = [Number.NaN, Infinity, -Infinity, 0, -0];
  return Array.from({ length: n }, () =>
    Float64Array.from({ length: model.numFeatures }, (_, f) => {
      const u = rand();
      const ts = thresholds[f] as number[];
      if (u < 0.03) return specials[Math.floor(rand() * specials.length)] as number;
      if (ts.length === 0) return rand() * 10 - 5;
      const t = ts[Math.floor(rand() * ts.length)] as number;
      if (u < 0.3) return t; // exactly on a threshold: goes left
      return t + (rand() - 0.5) * 1e-3;
    }),
  );
}

describe('tree prediction layout', () => {
  it('scores like the plain walk on an ensemble whose trees have different depths', () => {
    const rand = createRandom(3);
    const n = 400;
    const cols = [0, 1, 2, 3].map(() => Float64Array.from({ length: n }, () => rand()));
    const y = Int32Array.from(
      { length: n },
      (_, r) => ((cols[0]![r]! > 0.5 ? 1 : 0) + (cols[1]![r]! > 0.3 ? 1 : 0)) % 3,
    );
    const model = trainGbdt(cols, y, 3, undefined, { rounds: 12, maxDepth: 5, minChildWeight: 3 });
    // Leaves at several levels: the padding is exercised.
    const levels = new Set<number>();
    for (const t of model.trees) {
      const walk = (i: number, d: number): void => {
        if ((t.left[i] as number) < 0) levels.add(d);
        else {
          walk(t.left[i] as number, d + 1);
          walk(t.right[i] as number, d + 1);
        }
      };
      walk(0, 0);
    }
    assert.ok(levels.size >= 3, `leaves at levels ${[...levels].join(', ')}`);
    assertSameScores(model, probeVectors(model, 500, 5));
  });

  it('scores like the plain walk on single-leaf trees and on an ensemble too deep to pad', () => {
    const leafOnly: TreeEnsemble = {
      numClass: 2,
      numFeatures: 1,
      baseScore: [0.25, -0.5],
      trees: [
        { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [0.1] },
        { feature: [-1], threshold: [0], left: [-1], right: [-1], value: [-0.3] },
      ],
    };
    assertSameScores(leafOnly, [[0], [Number.NaN]]);
    // A chain of splits deeper than MAX_PADDED_DEPTH: stored sparse, walked node by node.
    const depth = MAX_PADDED_DEPTH + 3;
    // Depth-first like trained trees: the left child is the next node, the right one a leaf after it.
    const deep: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
    const build = (d: number): number => {
      const id = deep.feature.length;
      deep.feature.push(d < depth ? d % 2 : -1);
      deep.threshold.push(d < depth ? d / depth : 0);
      deep.left.push(-1);
      deep.right.push(-1);
      deep.value.push(d < depth ? 0 : 7.25);
      if (d < depth) {
        deep.left[id] = build(d + 1);
        const leaf = deep.feature.length;
        deep.feature.push(-1);
        deep.threshold.push(0);
        deep.left.push(-1);
        deep.right.push(-1);
        deep.value.push(d + 0.5);
        deep.right[id] = leaf;
      }
      return id;
    };
    build(0);
    const deepModel: TreeEnsemble = { numClass: 1, numFeatures: 2, baseScore: [0], trees: [deep, deep] };
    assert.equal(compileEnsemble(deepModel).depth, -1, 'kept sparse');
    const rand = createRandom(9);
    assertSameScores(
      deepModel,
      Array.from({ length: 200 }, () => [rand(), rand()]),
    );
  });

  it('scores like the plain walk for every number of trees from 1 to 20 (walked eight at a time, the rest one by one)', () => {
    const rand = createRandom(7);
    const n = 300;
    const cols = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => rand()));
    const y = Int32Array.from(
      { length: n },
      (_, r) => (cols[0]![r]! + cols[2]![r]! > 1 ? 1 : 0) + (cols[1]![r]! > 0.6 ? 1 : 0),
    );
    const model = trainGbdt(cols, y, 3, undefined, { rounds: 7, maxDepth: 4 });
    assert.equal(model.trees.length, 21);
    const probes = probeVectors(model, 200, 8);
    for (let t = 1; t <= 20; t++) assertSameScores({ ...model, trees: model.trees.slice(0, t) }, probes);
  });

  it('keeps the sparse layout, with the same scores, for an ensemble over more features than 16 bits number', () => {
    const wide = 70_000;
    const tree: Tree = {
      feature: [wide - 1, 3, -1, -1, -1],
      threshold: [0.5, 0.25, 0, 0, 0],
      left: [1, 2, -1, -1, -1],
      right: [4, 3, -1, -1, -1],
      value: [0, 0, 1.5, -2.25, 0.75],
    };
    const model: TreeEnsemble = { numClass: 1, numFeatures: wide, baseScore: [0.1], trees: [tree, tree] };
    assert.equal(compileEnsemble(model).depth, -1, 'kept sparse');
    const rand = createRandom(4);
    assertSameScores(
      model,
      Array.from({ length: 50 }, () => {
        const x = new Float64Array(wide);
        x[3] = rand();
        x[wide - 1] = rand();
        return x;
      }),
    );
  });

  describe('the shipped model', () => {
    let model: Model;
    before(async () => {
      model = await loadModel(DEFAULT_MODEL_PATH);
    });

    it('scores like the plain walk on probe vectors around its thresholds', () => {
      assertSameScores(model.ensemble, probeVectors(model.ensemble, 300, 11));
    });

    it('scores like the plain walk on the features of real pairs (fixtures and a synthetic FNC set)', async () => {
      const xs: Float64Array[] = [];
      const add = (headline: string, body: string) => {
        const b = prepareBody(body, model.vocab);
        if (b.sentenceCount === 0) return;
        xs.push(
          Float64Array.from(pairFeatures(prepareClaim(headline, model.vocab), b, model.vocab).features),
        );
      };
      for (const body of [...SHARK_SUPPORTS, ...SHARK_REFUTES, ...SHARK_DISCUSSES]) add(SHARK_CLAIM, body);
      add(
        'A war of words',
        readFileSync(join(import.meta.dirname, 'fixtures', 'other-war-op-ed.txt'), 'utf8'),
      );
      const fnc = join(import.meta.dirname, 'fixtures', 'fnc');
      const fixtureBodies = await readBodies(join(fnc, 'bodies.csv'));
      for (const s of await readStances(join(fnc, 'stances.csv'), {
        bodies: fixtureBodies,
        stance: 'ignore',
      }))
        add(s.headline, fixtureBodies.get(s.bodyId) ?? '');
      const dir = await mkdtemp(join(tmpdir(), 'stancecheck-trees-'));
      try {
        const files = await writeSyntheticFnc(dir, 300, 30, 2);
        const bodies = await readBodies(files.bodies);
        for (const s of await readStances(files.stances, { bodies, stance: 'ignore' }))
          add(s.headline, bodies.get(s.bodyId) ?? '');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      assert.ok(xs.length > 300, `${xs.length} pairs`);
      assertSameScores(model.ensemble, xs);
    });
  });
});

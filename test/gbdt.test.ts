import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  trainGbdt,
  predictProba as predictCompiled,
  computeCuts,
  compileEnsemble,
  type TreeEnsemble,
} from '../src/core/model/gbdt.js';

const predictProba = (m: TreeEnsemble, x: number[]): Float64Array => predictCompiled(compileEnsemble(m), x);
import { createRandom } from '../src/core/model/random.js';
import { softmaxInPlace } from '../src/core/model/softmax.js';

function dataset(n: number, seed: number): { cols: Float64Array[]; y: Int32Array } {
  const rnd = createRandom(seed);
  const cols = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const a = rnd();
    const b = rnd();
    cols[0]![r] = a;
    cols[1]![r] = b;
    cols[2]![r] = rnd(); // noise
    y[r] = a + b < 0.7 ? 0 : a > b ? 1 : 2; // an interaction a single split cannot express
  }
  return { cols, y };
}

function accuracy(model: ReturnType<typeof trainGbdt>, cols: Float64Array[], y: Int32Array): number {
  let ok = 0;
  for (let r = 0; r < y.length; r++) {
    const p = predictProba(model, [cols[0]![r]!, cols[1]![r]!, cols[2]![r]!]);
    let best = 0;
    for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
    if (best === y[r]) ok++;
  }
  return ok / y.length;
}

describe('trainGbdt', () => {
  it('learns a three-class problem with an interaction to over 95% on unseen rows', () => {
    const train = dataset(4000, 1);
    const test = dataset(1000, 2);
    const model = trainGbdt(train.cols, train.y, 3, undefined, { rounds: 40, maxDepth: 4 });
    assert.ok(accuracy(model, test.cols, test.y) > 0.95);
  });
  it('gives the same trees for the same seed, with subsampling on', () => {
    const { cols, y } = dataset(800, 3);
    const opts = { rounds: 5, subsample: 0.7, colsample: 0.7, seed: 9 };
    assert.deepEqual(trainGbdt(cols, y, 3, undefined, opts), trainGbdt(cols, y, 3, undefined, opts));
  });
  it('moves predictions towards a class whose rows weigh more', () => {
    const { cols, y } = dataset(2000, 4);
    const plain = trainGbdt(cols, y, 3, undefined, { rounds: 10 });
    const w = Float64Array.from(y, (c) => (c === 2 ? 5 : 1));
    const weighted = trainGbdt(cols, y, 3, w, { rounds: 10 });
    const x = [0.6, 0.6, 0.5]; // on the 1/2 border
    assert.ok(predictProba(weighted, x)[2]! > predictProba(plain, x)[2]!);
  });
  it('predicts probabilities that sum to 1', () => {
    const { cols, y } = dataset(500, 5);
    const p = predictProba(trainGbdt(cols, y, 3, undefined, { rounds: 3 }), [0.1, 0.9, 0.3]);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });
});

describe('computeCuts', () => {
  it('puts cuts between distinct values only', () => {
    const cuts = computeCuts([Float64Array.from([1, 1, 1, 2, 2, 3])], 8)[0]!;
    assert.deepEqual([...cuts], [1.5, 2.5]);
  });
  it('gives a constant feature no cut', () => {
    assert.equal(computeCuts([new Float64Array(10).fill(4)], 16)[0]!.length, 0);
  });
});

describe('softmaxInPlace', () => {
  it('is stable for large scores', () => {
    const p = softmaxInPlace([1000, 1000]);
    assert.deepEqual([...p], [0.5, 0.5]);
  });
});

describe('topIndexes', () => {
  it('returns the k best indexes, best first, lower index first on ties', async () => {
    const { topIndexes } = await import('../src/core/features/extract.js');
    assert.deepEqual(topIndexes([0.1, 0.5, 0.3, 0.5, 0.9], 3), [4, 1, 3]);
    assert.deepEqual(topIndexes([0.2], 3), [0]);
    assert.deepEqual(topIndexes([], 3), []);
  });
  it('agrees with a full sort on random data', async () => {
    const { topIndexes } = await import('../src/core/features/extract.js');
    const rnd = createRandom(11);
    for (let t = 0; t < 50; t++) {
      const xs = Array.from({ length: 40 }, () => Math.round(rnd() * 10) / 10);
      const sorted = xs.map((_, i) => i).sort((a, b) => xs[b]! - xs[a]! || a - b);
      assert.deepEqual(topIndexes(xs, 5), sorted.slice(0, 5));
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { trainMlp, mlpScores, mlpProba, type Mlp } from '../src/core/model/mlp.js';
import { createRandom } from '../src/core/model/random.js';
import { fitNeuralNorm, neuralInput, neuralInputSize } from '../src/core/features/neural-inputs.js';
import { pairFeatures, prepareBody, prepareClaim } from '../src/core/features/extract.js';
import { buildIdf, type Vocabulary } from '../src/core/features/vocabulary.js';

/** Three classes from two inputs with an XOR-like interaction, plus two noise inputs. */
function dataset(n: number, seed: number): { rows: Float32Array[]; y: Int32Array } {
  const rnd = createRandom(seed);
  const rows: Float32Array[] = [];
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const a = rnd() * 2 - 1;
    const b = rnd() * 2 - 1;
    rows.push(Float32Array.from([a, b, rnd() * 2 - 1, 0]));
    y[r] = Math.abs(a) + Math.abs(b) < 0.6 ? 2 : a * b > 0 ? 0 : 1;
  }
  return { rows, y };
}

const predict = (m: Mlp, x: ArrayLike<number>): number => {
  const s = mlpScores(m, x);
  let best = 0;
  for (let k = 1; k < s.length; k++) if (s[k]! > s[best]!) best = k;
  return best;
};

function accuracy(m: Mlp, rows: Float32Array[], y: Int32Array): number {
  let ok = 0;
  rows.forEach((x, r) => {
    if (predict(m, x) === y[r]) ok++;
  });
  return ok / rows.length;
}

describe('trainMlp', () => {
  it('learns a three-class problem no linear model can separate to over 90% on unseen rows', () => {
    const train = dataset(3000, 1);
    const test = dataset(1000, 2);
    const m = trainMlp(train.rows, train.y, 3, undefined, {
      hidden: 32,
      epochs: 40,
      learningRate: 0.01,
      batchSize: 32,
    });
    assert.ok(accuracy(m, test.rows, test.y) > 0.9, `accuracy ${accuracy(m, test.rows, test.y)}`);
  });

  it('gives identical weights for the same seed, with dropout on, and different ones for another seed', () => {
    const { rows, y } = dataset(500, 3);
    const opts = { hidden: 8, epochs: 3, dropout: 0.2, inputDropout: 0.1 };
    const a = trainMlp(rows, y, 3, undefined, { ...opts, seed: 7 });
    const b = trainMlp(rows, y, 3, undefined, { ...opts, seed: 7 });
    const c = trainMlp(rows, y, 3, undefined, { ...opts, seed: 8 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.w1, c.w1);
  });

  it('moves predictions towards a class whose rows weigh more', () => {
    // Labels are pure noise, so only the weights decide which class wins.
    const rnd = createRandom(5);
    const rows = Array.from({ length: 1000 }, () => Float32Array.from([rnd(), rnd()]));
    const y = Int32Array.from(rows, () => (rnd() < 0.5 ? 0 : 1));
    const heavy = Float64Array.from(y, (l) => (l === 1 ? 4 : 1));
    const plain = trainMlp(rows, y, 2, undefined, { hidden: 8, epochs: 5, seed: 1 });
    const weighted = trainMlp(rows, y, 2, heavy, { hidden: 8, epochs: 5, seed: 1 });
    const share = (m: Mlp): number => rows.filter((x) => predict(m, x) === 1).length / rows.length;
    assert.ok(share(weighted) > 0.9, `weighted share ${share(weighted)}`);
    assert.ok(share(weighted) > share(plain));
  });

  it('scores a row exactly as a dense forward pass does, zero inputs included', () => {
    const { rows, y } = dataset(200, 4);
    const m = trainMlp(rows, y, 3, undefined, { hidden: 5, epochs: 2 });
    const x = [0.3, 0, -0.7, 0];
    const h = Array.from({ length: m.hidden }, (_, j) => {
      let s = m.b1[j]!;
      for (let i = 0; i < m.inputs; i++) s += x[i]! * m.w1[i * m.hidden + j]!;
      return Math.max(0, s);
    });
    const z = Array.from({ length: m.numClass }, (_, k) => {
      let s = m.b2[k]!;
      for (let j = 0; j < m.hidden; j++) s += h[j]! * m.w2[j * m.numClass + k]!;
      return s;
    });
    const got = mlpScores(m, x);
    z.forEach((v, k) => assert.ok(Math.abs(v - got[k]!) < 1e-5));
    const p = mlpProba(m, x);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  it('scores a row exactly as a plain input-major pass does, zero inputs and all, for any hidden size', () => {
    const rnd = createRandom(7);
    for (const hidden of [1, 8, 19, 64]) {
      const inputs = 37;
      const m: Mlp = {
        inputs,
        hidden,
        numClass: 4,
        w1: Float32Array.from({ length: inputs * hidden }, () => rnd() * 2 - 1),
        b1: Float32Array.from({ length: hidden }, () => rnd() - 0.5),
        w2: Float32Array.from({ length: hidden * 4 }, () => rnd() * 2 - 1),
        b2: Float32Array.from({ length: 4 }, () => rnd() - 0.5),
      };
      const x = Float32Array.from({ length: inputs }, (_, i) => (i % 3 === 0 ? 0 : rnd() * 4 - 2));
      const h = new Float64Array(hidden);
      for (let j = 0; j < hidden; j++) h[j] = m.b1[j]!;
      for (let i = 0; i < inputs; i++) {
        if (x[i] === 0) continue;
        for (let j = 0; j < hidden; j++) h[j] = h[j]! + x[i]! * m.w1[i * hidden + j]!;
      }
      const want = Array.from(m.b2);
      for (let j = 0; j < hidden; j++) {
        if (h[j]! <= 0) continue;
        for (let k = 0; k < 4; k++) want[k] = want[k]! + h[j]! * m.w2[j * 4 + k]!;
      }
      assert.deepEqual(Array.from(mlpScores(m, x)), want, `hidden ${hidden}`);
    }
  });

  it('refuses labels that do not match the rows', () => {
    assert.throws(() => trainMlp([Float32Array.from([1])], new Int32Array(2), 2, undefined));
    assert.throws(() => trainMlp([], new Int32Array(0), 2, undefined));
  });
});

describe('neuralInput', () => {
  const texts = [
    'The mayor denied the report about the bridge.',
    'Officials said the bridge collapsed on Monday.',
  ];
  const { idf, defaultIdf } = buildIdf([
    ['mayor', 'deni', 'report', 'bridg'],
    ['offici', 'said', 'bridg', 'collaps', 'mondai'],
  ]);
  const vocab: Vocabulary = { idf, defaultIdf, avgBodyLength: 5, dim: 0 };
  const body = prepareBody(texts.join(' '), vocab);
  const claim = prepareClaim('Bridge collapsed, zebra escaped', vocab);
  const { features, alignment } = pairFeatures(claim, body, vocab);

  it('standardises the features with the fitted mean and spread', () => {
    const shifted = Float64Array.from(features, (v) => v + 2);
    const norm = fitNeuralNorm([features, shifted], { dim: 0 });
    assert.equal(neuralInputSize(norm), features.length);
    const x = neuralInput(claim, body, features, alignment, norm);
    assert.equal(x.length, neuralInputSize(norm));
    for (let f = 0; f < features.length; f++) assert.ok(Math.abs(x[f]! + 1) < 1e-6, `feature ${f}: ${x[f]}`);
  });
});

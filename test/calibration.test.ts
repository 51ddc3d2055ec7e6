import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decide, fitBias, fitCalibration, logLoss } from '../src/core/train/calibrate.js';
import { calibrate } from '../src/core/model/calibration.js';
import { claimFolds } from '../src/core/train/folds.js';
import { outOfFoldScores } from '../src/core/train/train.js';
import { examplePairs } from './helpers/example-pairs.js';
import { createRandom } from '../src/core/model/random.js';
import { LABELS, argmax, type Label } from '../src/core/labels.js';

function overconfident(n: number): { scores: Float64Array[]; gold: Label[] } {
  const rnd = createRandom(7);
  const scores: Float64Array[] = [];
  const gold: Label[] = [];
  for (let i = 0; i < n; i++) {
    const g = Math.floor(rnd() * 4);
    const s = Float64Array.from({ length: 4 }, () => rnd() * 2);
    if (rnd() < 0.7) s[g] = s[g]! + 3; // right 70% of the time...
    for (let k = 0; k < 4; k++) s[k] = s[k]! * 4; // ...but scores far too sharp
    scores.push(s);
    gold.push(LABELS[g]!);
  }
  return { scores, gold };
}

describe('fitCalibration', () => {
  it('softens over-confident scores: the fitted temperature lowers log-loss', () => {
    const { scores, gold } = overconfident(2000);
    const cal = fitCalibration(scores, gold);
    assert.ok(cal.temperature > 1.5);
    assert.ok(logLoss(scores, gold, cal.bias, cal.temperature) < logLoss(scores, gold, cal.bias, 1));
  });
  it('changes no decision through the temperature', () => {
    const { scores } = overconfident(200);
    for (const s of scores) {
      const a = calibrate(s, { temperature: 1, bias: [0.3, 0.1, 0, 0] });
      const b = calibrate(s, { temperature: 3, bias: [0.3, 0.1, 0, 0] });
      assert.equal(argmax(a), argmax(b));
    }
  });
  it('fits the biases for the objective it is given: one that rewards agree verdicts raises the agree bias', () => {
    const { scores, gold } = overconfident(120);
    const usual = fitBias(scores, gold);
    const agreeing = fitBias(scores, gold, (_g, p) => p.filter((l) => l === 'agree').length);
    assert.equal(agreeing[3], 0, 'unrelated stays the reference');
    assert.ok((agreeing[0] as number) > (usual[0] as number), `${agreeing.join('/')} vs ${usual.join('/')}`);
    const count = (b: number[]): number => decide(scores, b).filter((l) => l === 'agree').length;
    assert.ok(count(agreeing) > count(usual));
  });
  it('gives probabilities that sum to 1', () => {
    const p = calibrate([1, 2, 3, 4], { temperature: 2, bias: [1, 0, 0, 0] });
    assert.ok(Math.abs(p.reduce((x, y) => x + y, 0) - 1) < 1e-12);
  });
});

describe('claimFolds', () => {
  const pairs = [
    { headline: 'A1', bodyId: '1', label: 'agree' },
    { headline: 'A2', bodyId: '1', label: 'discuss' },
    { headline: 'A2', bodyId: '2', label: 'disagree' },
    { headline: 'B1', bodyId: '3', label: 'agree' },
    { headline: 'C1', bodyId: '4', label: 'discuss' },
    { headline: 'B1', bodyId: '4', label: 'unrelated' },
    { headline: 'D1', bodyId: '5', label: 'agree' },
  ];
  it('keeps every headline and body linked by a related pair in one fold', () => {
    const f = claimFolds(pairs, 3, 1);
    assert.equal(f[0], f[1]);
    assert.equal(f[1], f[2]);
  });
  it('marks an unrelated pair across two claims in different folds with -1', () => {
    const f = claimFolds(pairs, 3, 1);
    // B1 and body 4 belong to different claims; the pair is -1 unless they landed in one fold.
    assert.equal(f[5], f[3] === f[4] ? f[3] : -1);
  });
  it('deals the same folds for the same seed', () => {
    assert.deepEqual(claimFolds(pairs, 3, 5), claimFolds(pairs, 3, 5));
  });
});

describe('outOfFoldScores', () => {
  it('holds every related training pair out exactly once, beside synthetic unrelated pairs, each row with its gold label', async () => {
    const { bodies, pairs } = await examplePairs();
    const { scores, gold } = outOfFoldScores(pairs, bodies, {
      folds: 2,
      mlp: false,
      hardNegatives: 0,
      gbdt: { rounds: 2, maxDepth: 2, minChildWeight: 0.1, subsample: 1, colsample: 1 },
    });
    assert.equal(scores.length, gold.length);
    for (const s of scores) assert.ok(s.length === 4 && [...s].every(Number.isFinite));
    for (const label of ['agree', 'disagree', 'discuss'] as const) {
      assert.equal(
        gold.filter((g) => g === label).length,
        pairs.filter((p) => p.label === label).length,
        `${label}: every related pair scored once`,
      );
    }
    assert.ok(gold.filter((g) => g === 'unrelated').length > 0, 'unrelated rows restore the share');
  });
});

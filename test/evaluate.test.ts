import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../src/core/eval/evaluate.js';
import { LABELS, LABEL_INDEX, type Label } from '../src/core/labels.js';
import { StanceError } from '../src/core/errors.js';

function close(actual: number | undefined, expected: number, eps = 1e-9): void {
  assert.ok(
    actual !== undefined && Math.abs(actual - expected) <= eps,
    `expected ${expected}, got ${actual}`,
  );
}

function vector(label: Label, conf: number): number[] {
  return LABELS.map((l) => (l === label ? conf : (1 - conf) / 3));
}

// Hand-computed example (see comments for each figure).
const gold: Label[] = [
  'agree',
  'agree',
  'disagree',
  'discuss',
  'unrelated',
  'unrelated',
  'unrelated',
  'discuss',
];
const predicted: Label[] = [
  'agree',
  'discuss',
  'unrelated',
  'discuss',
  'unrelated',
  'agree',
  'unrelated',
  'discuss',
];
const confidences = [0.9, 0.6, 0.55, 0.95, 0.92, 0.4, 0.85, 0.65];

describe('evaluate', () => {
  it('computes the FNC-1 relative score: 0.25 for related/unrelated, 0.75 more for the exact related label', () => {
    // scores 1 + 0.25 + 0 + 1 + 0.25 + 0 + 0.25 + 1 = 3.75; best 5 × 1 + 3 × 0.25 = 5.75
    close(evaluate({ gold, predicted }).fnc, 3.75 / 5.75);
    close(evaluate({ gold: ['agree', 'unrelated'], predicted: ['discuss', 'unrelated'] }).fnc, 0.4);
    close(evaluate({ gold: ['agree', 'discuss'], predicted: ['agree', 'discuss'] }).fnc, 1);
    close(evaluate({ gold: ['agree', 'unrelated'], predicted: ['unrelated', 'agree'] }).fnc, 0);
  });

  it('computes accuracy and the confusion matrix as [gold][predicted] in LABELS order', () => {
    const m = evaluate({ gold, predicted });
    close(m.accuracy, 5 / 8);
    assert.deepEqual(m.confusion, [
      [1, 0, 1, 0], // agree
      [0, 0, 0, 1], // disagree
      [0, 0, 2, 0], // discuss
      [1, 0, 0, 2], // unrelated
    ]);
    assert.equal(m.pairs, 8);
  });

  it('computes per-class precision, recall, F1 and support, with 0 for a class never predicted', () => {
    const m = evaluate({ gold, predicted });
    assert.deepEqual(m.perClass.disagree, { precision: 0, recall: 0, f1: 0, support: 1 });
    close(m.perClass.agree.precision, 0.5);
    close(m.perClass.agree.recall, 0.5);
    close(m.perClass.agree.f1, 0.5);
    close(m.perClass.discuss.precision, 2 / 3);
    close(m.perClass.discuss.recall, 1);
    close(m.perClass.discuss.f1, 0.8);
    close(m.perClass.unrelated.f1, 2 / 3);
    assert.equal(m.perClass.unrelated.support, 3);
  });

  it('averages F1 over all four labels for macro-F1', () => {
    close(evaluate({ gold, predicted }).macroF1, (0.5 + 0 + 0.8 + 2 / 3) / 4);
  });

  it('leaves ECE and reliability out without probabilities', () => {
    const m = evaluate({ gold, predicted });
    assert.equal(m.ece, undefined);
    assert.equal(m.reliability, undefined);
  });

  it('computes ECE over 10 equal-width bins of the predicted label probability', () => {
    const probabilities = predicted.map((p, i) => vector(p, confidences[i] ?? 0));
    const m = evaluate({ gold, predicted, probabilities });
    // bins: 0.9 {0.9 ✓, 0.95 ✓, 0.92 ✓}, 0.8 {0.85 ✓}, 0.6 {0.6 ✗, 0.65 ✓}, 0.5 {0.55 ✗}, 0.4 {0.4 ✗}
    close(m.ece, (3 * (1 - 2.77 / 3) + 2 * 0.125 + 0.55 + 0.4 + 0.15) / 8);
    const bins = m.reliability ?? [];
    assert.equal(bins.length, 10);
    assert.deepEqual(
      bins.map((b) => b.count),
      [0, 0, 0, 0, 1, 1, 2, 0, 1, 3],
    );
    close(bins[6]?.confidence, 0.625);
    close(bins[6]?.accuracy, 0.5);
    close(bins[9]?.accuracy, 1);
    close(bins[0]?.lower, 0);
    close(bins[9]?.upper, 1);
  });

  it('accepts probability records as well as vectors', () => {
    const records = predicted.map((p, i) => {
      const v = vector(p, confidences[i] ?? 0);
      return Object.fromEntries(LABELS.map((l) => [l, v[LABEL_INDEX[l]] ?? 0])) as Record<Label, number>;
    });
    const a = evaluate({ gold, predicted, probabilities: records });
    const b = evaluate({
      gold,
      predicted,
      probabilities: predicted.map((p, i) => vector(p, confidences[i] ?? 0)),
    });
    close(a.ece, b.ece ?? -1);
  });

  it('puts a confidence of exactly 1 in the last bin', () => {
    const m = evaluate({ gold: ['agree'], predicted: ['agree'], probabilities: [[1, 0, 0, 0]] });
    assert.equal(m.reliability?.[9]?.count, 1);
    close(m.ece, 0);
  });

  it('refuses predictions of a different length with INPUT_FORMAT', () => {
    assert.throws(
      () => evaluate({ gold: ['agree'], predicted: [] }),
      (e: unknown) =>
        e instanceof StanceError && e.code === 'INPUT_FORMAT' && /0 predictions for 1 pairs/.test(e.message),
    );
  });

  it('returns zeros, not NaN, for no pairs', () => {
    const m = evaluate({ gold: [], predicted: [] });
    assert.equal(m.fnc, 0);
    assert.equal(m.accuracy, 0);
    assert.equal(m.macroF1, 0);
  });
});

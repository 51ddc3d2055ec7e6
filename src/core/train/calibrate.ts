/**
 * Decision biases and temperature, fitted on out-of-fold scores of the training data:
 * label = argmax(score + bias); probabilities = softmax((score + bias) / temperature).
 * Biases maximise macro-F1 + FNC score (imbalance handled on purpose); the temperature minimises
 * log-loss, which leaves every decision unchanged.
 */
import { evaluate } from '../eval/evaluate.js';
import { LABELS, NUM_LABELS, argmax, type Label } from '../labels.js';
import type { Calibration } from '../model/model.js';
import { logSumExp } from '../model/softmax.js';

/** The label of each row: argmax(score + bias). */
export function decide(scores: readonly Float64Array[], bias: readonly number[]): Label[] {
  const z = new Float64Array(NUM_LABELS);
  return scores.map((s) => {
    for (let k = 0; k < NUM_LABELS; k++) z[k] = (s[k] as number) + (bias[k] as number);
    return LABELS[argmax(z)] as Label;
  });
}

/** The objective biases are chosen for: macro-F1 plus FNC relative score. */
export function decisionObjective(gold: readonly Label[], predicted: readonly Label[]): number {
  const m = evaluate({ gold, predicted });
  return m.macroF1 + m.fnc;
}

/**
 * Coordinate ascent over a grid of per-class biases (unrelated fixed at 0), for `objective`
 * ({@link decisionObjective} unless an experiment gives another).
 */
export function fitBias(
  scores: readonly Float64Array[],
  gold: readonly Label[],
  objective: (gold: readonly Label[], predicted: readonly Label[]) => number = decisionObjective,
): number[] {
  const bias = [0, 0, 0, 0];
  let best = objective(gold, decide(scores, bias));
  const grid: number[] = [];
  for (let v = -2; v <= 2.0001; v += 0.1) grid.push(Math.round(v * 10) / 10);
  for (let pass = 0; pass < 3; pass++) {
    let improved = false;
    for (let k = 0; k < NUM_LABELS - 1; k++) {
      for (const v of grid) {
        const trial = [...bias];
        trial[k] = v;
        const obj = objective(gold, decide(scores, trial));
        if (obj > best + 1e-9) {
          best = obj;
          bias[k] = v;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  return bias;
}

/** Mean negative log-likelihood of gold labels under softmax((s + bias) / t). */
export function logLoss(
  scores: readonly Float64Array[],
  gold: readonly Label[],
  bias: readonly number[],
  t: number,
): number {
  let loss = 0;
  const z = new Float64Array(NUM_LABELS);
  scores.forEach((s, r) => {
    for (let k = 0; k < NUM_LABELS; k++) z[k] = ((s[k] as number) + (bias[k] as number)) / t;
    const g = LABELS.indexOf(gold[r] as Label);
    loss -= (z[g] as number) - logSumExp(z);
  });
  return loss / Math.max(1, scores.length);
}

/** Fits bias (unless `withBias` is false) then temperature (golden-section search on [0.25, 5]). */
export function fitCalibration(
  scores: readonly Float64Array[],
  gold: readonly Label[],
  withBias = true,
): Calibration {
  const bias = withBias ? fitBias(scores, gold) : [0, 0, 0, 0];
  let lo = 0.25;
  let hi = 5;
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = logLoss(scores, gold, bias, a);
  let fb = logLoss(scores, gold, bias, b);
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = logLoss(scores, gold, bias, a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = logLoss(scores, gold, bias, b);
    }
  }
  return { temperature: Math.round(((lo + hi) / 2) * 1000) / 1000, bias };
}

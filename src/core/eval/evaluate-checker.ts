/**
 * Scores labelled pairs with a checker (each body prepared once) and evaluates the predictions
 * against the gold labels, probabilities included. Pure: bodies come in memory.
 */
import { classifyPairs } from '../classify-pairs.js';
import { evaluate } from './evaluate.js';
import type { Checker } from '../checker.js';
import type { Label, Probabilities } from '../labels.js';
import type { Metrics } from '../model/card.js';

/** A pair with its gold label. */
export interface LabelledPair {
  headline: string;
  bodyId: string;
  label: Label;
}

/**
 * Metrics of `checker` on `pairs`; `onProgress(done, total)` is called every 256 pairs and at the
 * end, `onPrediction(index, label, probabilities)` once per pair (e.g. to list the mistakes).
 */
export function evaluateChecker(
  checker: Checker,
  pairs: readonly LabelledPair[],
  bodies: ReadonlyMap<string, string>,
  onProgress?: (done: number, total: number) => void,
  onPrediction?: (index: number, label: Label, probabilities: Probabilities) => void,
): Metrics {
  const predicted: Label[] = [];
  const probabilities: Probabilities[] = [];
  for (const r of classifyPairs(
    checker,
    pairs.map((p) => ({ headline: p.headline, body: bodies.get(p.bodyId) ?? '', bodyKey: p.bodyId })),
  )) {
    onPrediction?.(predicted.length, r.label, r.probabilities);
    predicted.push(r.label);
    probabilities.push(r.probabilities);
    if (predicted.length % 256 === 0) onProgress?.(predicted.length, pairs.length);
  }
  onProgress?.(predicted.length, pairs.length);
  return evaluate({ gold: pairs.map((p) => p.label), predicted, probabilities });
}

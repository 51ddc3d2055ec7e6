/**
 * Scores predictions against gold labels: the FNC-1 relative score, accuracy, per-class
 * precision/recall/F1, macro-F1 over the four labels, the confusion matrix and, when
 * probabilities are given, expected calibration error with its reliability bins. Pure.
 */
import { StanceError } from '../errors.js';
import { LABELS, LABEL_INDEX, NUM_LABELS, type Label, type Probabilities } from '../labels.js';
import type { ClassScores, Metrics, ReliabilityBin } from '../model/card.js';

/** Number of equal-width confidence bins for ECE and the reliability diagram. */
export const CALIBRATION_BINS = 10;

/** Input of {@link evaluate}. */
export interface EvaluateInput {
  /** Gold labels, one per pair. */
  gold: readonly Label[];
  /** Predicted labels, same order and length as `gold`. */
  predicted: readonly Label[];
  /**
   * Optional probabilities per pair: a vector in LABELS order or a {@link Probabilities} record.
   * The confidence of a pair is the probability of its predicted label.
   */
  probabilities?: readonly (ArrayLike<number> | Probabilities)[];
}

const RELATED_WEIGHT = 0.25;
const EXACT_WEIGHT = 0.75;

function probOf(p: ArrayLike<number> | Probabilities, label: Label): number {
  if ('length' in p && typeof p.length === 'number') {
    return p[LABEL_INDEX[label]] ?? 0;
  }
  return (p as Probabilities)[label] ?? 0;
}

function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/**
 * Computes the {@link Metrics} of `predicted` against `gold`.
 *
 * @example
 * evaluate({ gold: ['agree', 'unrelated'], predicted: ['discuss', 'unrelated'] }).fnc // 0.5 / 1.25 = 0.4
 * @throws StanceError INPUT_FORMAT when the arrays differ in length.
 */
export function evaluate(input: EvaluateInput): Metrics {
  const { gold, predicted, probabilities } = input;
  if (gold.length !== predicted.length) {
    throw new StanceError(
      'INPUT_FORMAT',
      `expected one prediction per gold pair; found ${predicted.length} predictions for ${gold.length} pairs`,
    );
  }
  if (probabilities && probabilities.length !== gold.length) {
    throw new StanceError(
      'INPUT_FORMAT',
      `expected one probability vector per pair; found ${probabilities.length} for ${gold.length} pairs`,
    );
  }
  const n = gold.length;
  const confusion: number[][] = LABELS.map(() => LABELS.map(() => 0));
  let score = 0;
  let best = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const g = gold[i] as Label;
    const p = predicted[i] as Label;
    const row = confusion[LABEL_INDEX[g]] as number[];
    row[LABEL_INDEX[p]] = (row[LABEL_INDEX[p]] ?? 0) + 1;
    if (g === p) correct++;
    const gRelated = g !== 'unrelated';
    const pRelated = p !== 'unrelated';
    best += gRelated ? RELATED_WEIGHT + EXACT_WEIGHT : RELATED_WEIGHT;
    if (gRelated === pRelated) score += RELATED_WEIGHT;
    if (gRelated && g === p) score += EXACT_WEIGHT;
  }

  const perClass = {} as Record<Label, ClassScores>;
  let f1Sum = 0;
  LABELS.forEach((label, k) => {
    const tp = confusion[k]?.[k] ?? 0;
    const support = (confusion[k] ?? []).reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, r) => a + (r[k] ?? 0), 0);
    const precision = safeDiv(tp, predictedCount);
    const recall = safeDiv(tp, support);
    const f1 = safeDiv(2 * precision * recall, precision + recall);
    perClass[label] = { precision, recall, f1, support };
    f1Sum += f1;
  });

  const metrics: Metrics = {
    fnc: safeDiv(score, best),
    macroF1: f1Sum / NUM_LABELS,
    accuracy: safeDiv(correct, n),
    perClass,
    confusion,
    pairs: n,
  };

  if (probabilities) {
    const bins = Array.from({ length: CALIBRATION_BINS }, () => ({ count: 0, conf: 0, correct: 0 }));
    for (let i = 0; i < n; i++) {
      const p = predicted[i] as Label;
      const conf = Math.min(1, Math.max(0, probOf(probabilities[i] as ArrayLike<number> | Probabilities, p)));
      const b = bins[Math.min(CALIBRATION_BINS - 1, Math.floor(conf * CALIBRATION_BINS))];
      if (!b) continue;
      b.count++;
      b.conf += conf;
      if (p === gold[i]) b.correct++;
    }
    let ece = 0;
    const reliability: ReliabilityBin[] = bins.map((b, k) => {
      const confidence = safeDiv(b.conf, b.count);
      const accuracy = safeDiv(b.correct, b.count);
      ece += safeDiv(b.count, n) * Math.abs(accuracy - confidence);
      return {
        lower: k / CALIBRATION_BINS,
        upper: (k + 1) / CALIBRATION_BINS,
        count: b.count,
        confidence,
        accuracy,
      };
    });
    metrics.ece = ece;
    metrics.reliability = reliability;
  }
  return metrics;
}

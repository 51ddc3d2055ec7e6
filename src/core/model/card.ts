import type { Label } from '../labels.js';

/** Per-class precision, recall and F1. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** One bin of a reliability diagram: pairs whose predicted-label probability lies in [lower, upper). */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Pairs in the bin. */
  count: number;
  /** Mean predicted-label probability in the bin (0 when empty). */
  confidence: number;
  /** Share of correct predictions in the bin (0 when empty). */
  accuracy: number;
}

/** Headline metrics of one evaluation. */
export interface Metrics {
  /** FNC-1 relative score (0..1). */
  fnc: number;
  /** Macro-averaged F1 over the four labels. */
  macroF1: number;
  /** Accuracy over all pairs. */
  accuracy: number;
  perClass: Record<Label, ClassScores>;
  /** confusion[gold][predicted], both in LABELS order. */
  confusion: number[][];
  /** Expected calibration error of the predicted label's probability (when probabilities were given). */
  ece?: number;
  /** Reliability diagram, 10 equal-width bins (when probabilities were given). */
  reliability?: ReliabilityBin[];
  pairs: number;
}

/** What a model says about itself: data, figures, date and the exact command that made it. */
export interface ModelCard {
  name: string;
  /** Model release, e.g. "1.0.0". */
  version: string;
  /** ISO date-time of training. */
  trainedAt: string;
  /** The exact command line that produced this model. */
  command: string;
  /** Training data description: files and label counts. */
  data: { bodies: string; stances: string; pairs: number; labelCounts: Record<Label, number> };
  /** Figures on a development set, when one was given to `train --dev`. */
  dev?: { stances: string } & Metrics;
  trainingSeconds: number;
  seed: number;
  /** Free-form notes (features, learners). */
  notes?: string[];
}

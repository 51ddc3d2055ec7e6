/** Applying a fitted calibration at prediction time (fitting lives in train/calibrate.ts). */
import { NUM_LABELS } from '../labels.js';
import type { Calibration } from './model.js';
import { softmaxInPlace } from './softmax.js';

/** Applies a calibration to raw scores: probabilities in LABELS order. */
export function calibrate(
  score: ArrayLike<number>,
  cal: Calibration,
  out = new Float64Array(NUM_LABELS),
): Float64Array {
  for (let k = 0; k < NUM_LABELS; k++) out[k] = ((score[k] as number) + (cal.bias[k] ?? 0)) / cal.temperature;
  return softmaxInPlace(out, NUM_LABELS);
}

/** Applying a fitted calibration at prediction time (fitting lives in train/calibrate.ts). */
import { NUM_LABELS } from '../labels.js';
import type { Calibration } from './model.js';

/** Applies a calibration to raw scores: probabilities in LABELS order. */
export function calibrate(score: ArrayLike<number>, cal: Calibration, out = new Float64Array(NUM_LABELS)): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < NUM_LABELS; k++) {
    out[k] = ((score[k] as number) + (cal.bias[k] ?? 0)) / cal.temperature;
    if ((out[k] as number) > max) max = out[k] as number;
  }
  let sum = 0;
  for (let k = 0; k < NUM_LABELS; k++) {
    out[k] = Math.exp((out[k] as number) - max);
    sum += out[k] as number;
  }
  for (let k = 0; k < NUM_LABELS; k++) out[k] = (out[k] as number) / sum;
  return out;
}

/**
 * The one softmax: every probability in stancecheck (trees, neural learner, calibration, training
 * losses) goes through these two functions, numerically stable (the maximum is subtracted first).
 */

/** In-place softmax of the first `n` entries of `z` (default: all); returns `z`. */
export function softmaxInPlace<T extends Float64Array | number[]>(z: T, n: number = z.length): T {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if ((z[i] as number) > max) max = z[i] as number;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((z[i] as number) - max);
    z[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) z[i] = (z[i] as number) / sum;
  return z;
}

/** log Σ exp(z[i]) over the first `n` entries of `z`, without overflow. */
export function logSumExp(z: ArrayLike<number>, n: number = z.length): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if ((z[i] as number) > max) max = z[i] as number;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp((z[i] as number) - max);
  return max + Math.log(sum);
}

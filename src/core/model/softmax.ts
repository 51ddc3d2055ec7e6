/** In-place numerically stable softmax of `z` (returns `z`). */
export function softmaxInPlace(z: Float64Array | number[]): Float64Array | number[] {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) if ((z[i] as number) > max) max = z[i] as number;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const e = Math.exp((z[i] as number) - max);
    z[i] = e;
    sum += e;
  }
  for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) / sum;
  return z;
}

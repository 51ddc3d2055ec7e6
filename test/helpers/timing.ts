/**
 * Growth-rate checks for timing tests: ratios of best-of-N times at 1×, 2× and 4× input sizes,
 * never absolute milliseconds (the machine may be busy).
 */
import assert from 'node:assert/strict';

/** Best (smallest) wall time of `runs` calls of `fn`, in milliseconds. */
export function bestTime(fn: () => unknown, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * Asserts that `run(make(k))` grows at most about linearly for k = 1, 2, 4: time(4×) ≤
 * `maxRatio` × time(1×) [6, room for noise; a quadratic cost gives about 16]. Inputs are built
 * before timing; one warm-up call at 1× comes first.
 */
export function assertLinearTime<T>(
  label: string,
  make: (scale: number) => T,
  run: (input: T) => unknown,
  maxRatio = 6,
  runs = 3,
): void {
  const inputs = [1, 2, 4].map((k) => make(k));
  run(inputs[0] as T);
  const times = inputs.map((input) => bestTime(() => run(input), runs));
  const [t1, t2, t4] = times as [number, number, number];
  const ratio = t4 / Math.max(t1, 0.5);
  assert.ok(
    ratio <= maxRatio,
    `${label}: expected time to grow at most linearly (4× input ≤ ${maxRatio}× time); found 1×/2×/4× = ${t1.toFixed(1)}/${t2.toFixed(1)}/${t4.toFixed(1)} ms (ratio ${ratio.toFixed(1)})`,
  );
}

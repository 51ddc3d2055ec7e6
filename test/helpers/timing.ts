/**
 * Growth-rate checks for timing tests: ratios of best-of-N CPU times at 1×, 2× and 4× input
 * sizes, never absolute milliseconds (the machine may be busy).
 */
import assert from 'node:assert/strict';

/**
 * Best (smallest) CPU time of `runs` calls of `fn`, in milliseconds. CPU time rather than wall
 * time: on a busy machine the process waits for a core, which says nothing about the work done.
 */
export function bestTime(fn: () => unknown, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return best;
}

/**
 * Asserts that `run(make(k))` grows at most about linearly for k = 1, 2, 4: time(4×) ≤
 * `maxRatio` × time(1×), or ≤ `maxRatio` / 2 × time(2×) [6: room for noise; a linear cost gives
 * 4, a quadratic one 16 and 8]. Inputs are built
 * before timing; two warm-up calls at 1× come first; a super-linear first measurement is taken
 * again once, and the better of the two counts.
 */
export function assertLinearTime<T>(
  label: string,
  make: (scale: number) => T,
  run: (input: T) => unknown,
  maxRatio = 6,
  runs = 5,
): void {
  const inputs = [1, 2, 4].map((k) => make(k));
  run(inputs[0] as T);
  run(inputs[0] as T);
  const measure = (): { t1: number; t2: number; t4: number; ratio: number } => {
    const t1 = bestTime(() => run(inputs[0] as T), runs);
    const t2 = bestTime(() => run(inputs[1] as T), runs);
    // Far worse than linear already at 2×: fail now rather than wait for 4×.
    const t4 = t2 / Math.max(t1, 0.5) > 2 * maxRatio ? Infinity : bestTime(() => run(inputs[2] as T), runs);
    // Both 1×→4× and 2×→4× (scaled to 4×) must look linear for a failure: one noisy run on a busy
    // machine does not fail the test, a quadratic cost (16 and 8) does.
    return { t1, t2, t4, ratio: Math.min(t4 / Math.max(t1, 0.5), (2 * t4) / Math.max(t2, 0.5)) };
  };
  // A second measurement when the first looks super-linear: with test files running side by side,
  // one burst of other work can land on the 4× runs; a quadratic cost fails both measurements.
  let m = measure();
  if (m.ratio > maxRatio) {
    const again = measure();
    if (again.ratio < m.ratio) m = again;
  }
  const { t1, t2, t4, ratio } = m;
  assert.ok(
    ratio <= maxRatio,
    `${label}: expected time to grow at most linearly (4× input ≤ ${maxRatio}× time); found 1×/2×/4× = ${t1.toFixed(1)}/${t2.toFixed(1)}/${t4.toFixed(1)} ms (ratio ${ratio.toFixed(1)})`,
  );
}

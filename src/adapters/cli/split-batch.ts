/**
 * `batch --workers N`: splits a batch over N checking threads by body, so each thread prepares
 * only the bodies of its share, once; the caller merges the results back into input order.
 */
import type { BatchPair } from './article-runner.js';

/** One thread's share: its bodies, its pairs (in input order) and their input positions. */
export interface BatchShare {
  bodies: string[];
  pairs: BatchPair[];
  positions: number[];
}

/**
 * Assigns whole bodies (with all their pairs) to `n` shares, largest bodies first to the share
 * with the fewest pairs, so the shares get about the same number of pairs.
 */
export function splitByBody(bodies: readonly string[], pairs: readonly BatchPair[], n: number): BatchShare[] {
  const count = new Array<number>(bodies.length).fill(0);
  for (const p of pairs) count[p.body] = (count[p.body] ?? 0) + 1;
  const shares: BatchShare[] = Array.from({ length: n }, () => ({ bodies: [], pairs: [], positions: [] }));
  const load = new Array<number>(n).fill(0);
  const shareOf = new Int32Array(bodies.length);
  const localIndex = new Int32Array(bodies.length);
  const order = [...bodies.keys()].sort((a, b) => (count[b] as number) - (count[a] as number) || a - b);
  for (const b of order) {
    let s = 0;
    for (let k = 1; k < n; k++) if ((load[k] as number) < (load[s] as number)) s = k;
    const share = shares[s] as BatchShare;
    shareOf[b] = s;
    localIndex[b] = share.bodies.length;
    share.bodies.push(bodies[b] as string);
    load[s] = (load[s] as number) + (count[b] as number);
  }
  pairs.forEach((p, i) => {
    const share = shares[shareOf[p.body] as number] as BatchShare;
    share.pairs.push({ headline: p.headline, body: localIndex[p.body] as number });
    share.positions.push(i);
  });
  return shares.filter((s) => s.pairs.length > 0);
}

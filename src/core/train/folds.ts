/**
 * Claim-disjoint folds of training pairs: headlines and bodies joined by a related pair form one
 * claim (a connected component); whole claims go to one fold, so a fold's held-out pairs share no
 * headline or body with the rest — like new claims at test time.
 */
import { createRandom } from '../model/random.js';

interface Pairish {
  headline: string;
  bodyId: string;
  label: string;
}

/** Fold of each pair (0..k-1), or -1 when its headline and body fall in different folds. */
export function claimFolds(pairs: readonly Pairish[], k: number, seed: number): Int32Array {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    let c = x;
    while (c !== r) {
      const n = parent.get(c) ?? r;
      parent.set(c, r);
      c = n;
    }
    return r;
  };
  const add = (x: string): void => {
    if (!parent.has(x)) parent.set(x, x);
  };
  for (const p of pairs) {
    const h = `h:${p.headline}`;
    const b = `b:${p.bodyId}`;
    add(h);
    add(b);
    if (p.label !== 'unrelated') {
      const rh = find(h);
      const rb = find(b);
      if (rh !== rb) parent.set(rh, rb);
    }
  }
  const roots = [...new Set([...parent.keys()].map(find))].sort();
  const rand = createRandom(seed);
  // Shuffle roots, then deal them round-robin so folds have similar numbers of claims.
  for (let i = roots.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = roots[i] as string;
    roots[i] = roots[j] as string;
    roots[j] = t;
  }
  const foldOf = new Map<string, number>();
  roots.forEach((r, i) => foldOf.set(r, i % k));
  return Int32Array.from(pairs, (p) => {
    const fh = foldOf.get(find(`h:${p.headline}`)) ?? 0;
    const fb = foldOf.get(find(`b:${p.bodyId}`)) ?? 0;
    return fh === fb ? fh : -1;
  });
}

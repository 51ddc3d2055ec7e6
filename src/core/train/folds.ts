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

/** The claim (component id) of every headline and body. */
export interface Claims {
  headline: Map<string, string>;
  body: Map<string, string>;
}

/** Groups headlines and bodies into claims (connected through related pairs). */
export function claimsOf(pairs: readonly Pairish[]): Claims {
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
  const claims: Claims = { headline: new Map(), body: new Map() };
  for (const p of pairs) {
    claims.headline.set(p.headline, find(`h:${p.headline}`));
    claims.body.set(p.bodyId, find(`b:${p.bodyId}`));
  }
  return claims;
}

/** Fold of each pair (0..k-1), or -1 when its headline and body fall in different folds. */
export function claimFolds(
  pairs: readonly Pairish[],
  k: number,
  seed: number,
  claims = claimsOf(pairs),
): Int32Array {
  const roots = [...new Set([...claims.headline.values(), ...claims.body.values()])].sort();
  const rand = createRandom(seed);
  // Shuffle claims, then deal them round-robin so folds have similar numbers of claims.
  for (let i = roots.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = roots[i] as string;
    roots[i] = roots[j] as string;
    roots[j] = t;
  }
  const foldOf = new Map<string, number>();
  roots.forEach((r, i) => foldOf.set(r, i % k));
  return Int32Array.from(pairs, (p) => {
    const fh = foldOf.get(claims.headline.get(p.headline) ?? '') ?? 0;
    const fb = foldOf.get(claims.body.get(p.bodyId) ?? '') ?? 0;
    return fh === fb ? fh : -1;
  });
}

/**
 * Extra unrelated pairs for a held-out fold, made as FNC-1 made its own (a headline with a body of
 * another claim, both from the fold), so that the fold's unrelated share matches `share`.
 */
export function syntheticUnrelated<P extends Pairish>(
  held: readonly P[],
  claims: Claims,
  share: number,
  seed: number,
  make: (headline: string, bodyId: string) => P,
): P[] {
  const related = held.filter((p) => p.label !== 'unrelated').length;
  const unrelated = held.length - related;
  const target = Math.round((share / (1 - share)) * related);
  const need = target - unrelated;
  if (need <= 0) return [];
  const headlines = [...new Set(held.map((p) => p.headline))];
  const bodies = [...new Set(held.map((p) => p.bodyId))];
  const seen = new Set(held.map((p) => `${p.headline}\u0000${p.bodyId}`));
  const rand = createRandom(seed);
  const out: P[] = [];
  for (let tries = 0; out.length < need && tries < need * 20; tries++) {
    const h = headlines[Math.floor(rand() * headlines.length)] as string;
    const b = bodies[Math.floor(rand() * bodies.length)] as string;
    const key = `${h}\u0000${b}`;
    if (seen.has(key) || claims.headline.get(h) === claims.body.get(b)) continue;
    seen.add(key);
    out.push(make(h, b));
  }
  return out;
}

/**
 * Compact fingerprints of a model's training data, stored in the model file so that `eval` can
 * warn when the pairs it scores were trained on: sorted 53-bit hashes of the normalised training
 * headlines, bodies and (headline, body) pairs. Text is normalised (NFKC, lower case, runs of
 * anything but letters and digits → one space) so quoting and white space do not hide a match.
 * With 50,000 training pairs a random unseen pair matches by chance with probability about 6e-12.
 * Pure.
 */

/** Sorted, duplicate-free 53-bit hashes (exact integers in float64) of what a model was trained on. */
export interface TrainingFingerprints {
  headlines: Float64Array;
  bodies: Float64Array;
  pairs: Float64Array;
}

/** How much of an evaluation set the model saw in training. */
export interface TrainingOverlap {
  /** Pairs evaluated. */
  pairs: number;
  /** Pairs whose headline and body were trained on together. */
  seenPairs: number;
  /** Share of pairs trained on (seenPairs / pairs; 0 when there are no pairs). */
  share: number;
  /** Pairs whose headline was a training headline (with any body). */
  seenHeadlines: number;
  /** Pairs whose body was a training body (with any headline). */
  seenBodies: number;
}

/** cyrb53 (public domain): a fast 53-bit string hash with good dispersion. */
function cyrb53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The fingerprint of a headline or body. */
export function fingerprintText(text: string): number {
  return cyrb53(
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim(),
  );
}

/** The fingerprint of a pair from the fingerprints of its headline and body. */
export function fingerprintPair(headline: number, body: number): number {
  return cyrb53(`${headline}:${body}`);
}

function sortedUnique(values: Iterable<number>): Float64Array {
  return Float64Array.from(new Set(values)).sort();
}

function has(sorted: Float64Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = sorted[mid] as number;
    if (m === v) return true;
    if (m < v) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

/** Fingerprints of pairs whose bodies come from `bodies` by Body ID (each body hashed once). */
function pairPrints(
  pairs: readonly { headline: string; bodyId: string }[],
  bodies: ReadonlyMap<string, string>,
): { headline: number; body: number; pair: number }[] {
  const bodyPrint = new Map<string, number>();
  const headlinePrint = new Map<string, number>();
  return pairs.map((p) => {
    let b = bodyPrint.get(p.bodyId);
    if (b === undefined) {
      b = fingerprintText(bodies.get(p.bodyId) ?? '');
      bodyPrint.set(p.bodyId, b);
    }
    let h = headlinePrint.get(p.headline);
    if (h === undefined) {
      h = fingerprintText(p.headline);
      headlinePrint.set(p.headline, h);
    }
    return { headline: h, body: b, pair: fingerprintPair(h, b) };
  });
}

/** Fingerprints of training pairs (8 bytes per distinct pair, headline and body). */
export function fingerprintTraining(
  pairs: readonly { headline: string; bodyId: string }[],
  bodies: ReadonlyMap<string, string>,
): TrainingFingerprints {
  const prints = pairPrints(pairs, bodies);
  return {
    headlines: sortedUnique(prints.map((p) => p.headline)),
    bodies: sortedUnique(prints.map((p) => p.body)),
    pairs: sortedUnique(prints.map((p) => p.pair)),
  };
}

/** How many of `pairs` (bodies by Body ID) a model with these fingerprints was trained on. */
export function trainingOverlap(
  fp: TrainingFingerprints,
  pairs: readonly { headline: string; bodyId: string }[],
  bodies: ReadonlyMap<string, string>,
): TrainingOverlap {
  let seenPairs = 0;
  let seenHeadlines = 0;
  let seenBodies = 0;
  for (const p of pairPrints(pairs, bodies)) {
    if (has(fp.pairs, p.pair)) seenPairs++;
    if (has(fp.headlines, p.headline)) seenHeadlines++;
    if (has(fp.bodies, p.body)) seenBodies++;
  }
  return {
    pairs: pairs.length,
    seenPairs,
    share: pairs.length > 0 ? seenPairs / pairs.length : 0,
    seenHeadlines,
    seenBodies,
  };
}

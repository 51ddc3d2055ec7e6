/**
 * Antonym features of a pair (a measured model v4 candidate, NOT in the shipped feature vector;
 * docs/MODEL.md, "Model v4 candidate"): body words whose antonym is a headline word ("alive" in
 * the body for "dead" in the headline, "rejected" for "accepted"), counted where the same
 * sentence does not itself use that headline word. The pairs come from WordNet (antonyms.ts,
 * generated at build time by scripts/make-antonyms.ts). To try them in a model, append
 * {@link ANTONYM_FEATURE_NAMES} to the stance group's names and call {@link antonymFeatures} at
 * the end of stanceFeatures (stance.ts), then train. Pure.
 */
import { ANTONYM_PAIRS } from './antonyms.js';
import { analysisOf, type ClaimFeatures, type SentenceInfo } from './extract.js';

/** Each stem → the stems WordNet calls its antonyms. */
export const ANTONYMS_OF: ReadonlyMap<string, readonly string[]> = (() => {
  const m = new Map<string, string[]>();
  const add = (a: string, b: string): void => {
    const list = m.get(a);
    if (list) list.push(b);
    else m.set(a, [b]);
  };
  for (const [a, b] of ANTONYM_PAIRS) {
    add(a, b);
    add(b, a);
  }
  return m;
})();

export const ANTONYM_FEATURE_NAMES = [
  'stance.antonym_best',
  'stance.antonym_aligned',
  'stance.antonym_own',
  'stance.antonym_near',
  'stance.antonym_count',
  'stance.polarity_flip',
] as const;

/** Tokens within this distance of a headline word count as near it. */
const NEAR = 5;
/** The best-aligned sentence must carry this much of the headline for its polarity to count. */
const FLIP_MIN_ALIGNMENT = 0.25;

/** Body-side stem → the headline stems it opposes, for one headline (empty map when none). */
export function opposedStems(claim: ClaimFeatures): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const c of claim.stems) {
    const ants = ANTONYMS_OF.get(c);
    if (!ants) continue;
    for (const a of ants) {
      if (claim.stems.includes(a)) continue; // the headline names both sides itself
      const list = m.get(a);
      if (list) list.push(c);
      else m.set(a, [c]);
    }
  }
  return m;
}

/**
 * Antonyms of headline words in one sentence: the distinct headline stems opposed, the antonym
 * tokens' positions, and how many of them stand within {@link NEAR} tokens of a headline word.
 */
export function sentenceAntonyms(
  s: SentenceInfo,
  opposed: ReadonlyMap<string, readonly string[]>,
  claimStems: ReadonlySet<string>,
): { opposed: Set<string>; positions: number[]; near: number } {
  const hit = new Set<string>();
  const positions: number[] = [];
  const stems = s.tokenStems;
  for (let k = 0; k < stems.length; k++) {
    const heads = opposed.get(stems[k] as string);
    if (!heads) continue;
    let counted = false;
    for (const h of heads) {
      if (s.stemSet.has(h)) continue; // the sentence uses the headline word too: no contradiction
      hit.add(h);
      counted = true;
    }
    if (counted) positions.push(k);
  }
  let near = 0;
  for (const p of positions) {
    const from = Math.max(0, p - NEAR);
    const to = Math.min(stems.length - 1, p + NEAR);
    for (let k = from; k <= to; k++) {
      if (k !== p && claimStems.has(stems[k] as string)) {
        near++;
        break;
      }
    }
  }
  return { opposed: hit, positions, near };
}

/** Distinct headline stems opposed by words of the sentence outside quotations (scope.ts's reading of quotes). */
function ownVoiceOpposed(s: SentenceInfo, opposed: ReadonlyMap<string, readonly string[]>): number {
  const hit = new Set<string>();
  for (const t of analysisOf(s).tokens) {
    if (t.quote >= 0) continue;
    const heads = opposed.get(t.stem);
    if (!heads) continue;
    for (const h of heads) if (!s.stemSet.has(h)) hit.add(h);
  }
  return hit.size;
}

/**
 * Writes the six antonym features into `out` from `offset`. `bestIdx` is the best-aligned
 * sentence (−1 when none), `claimNegated` whether the headline itself is negated.
 */
export function antonymFeatures(
  claim: ClaimFeatures,
  info: readonly SentenceInfo[],
  alignment: ArrayLike<number>,
  bestIdx: number,
  claimNegated: boolean,
  out: Float64Array,
  offset: number,
): void {
  const opposed = opposedStems(claim);
  let best = 0;
  let aligned = 0;
  let own = 0;
  let near = 0;
  let count = 0;
  if (opposed.size > 0) {
    const claimStems = new Set(claim.stems);
    for (let k = 0; k < info.length; k++) {
      const a = alignment[k] as number;
      if (a <= 0) continue;
      const s = info[k] as SentenceInfo;
      const r = sentenceAntonyms(s, opposed, claimStems);
      if (r.positions.length === 0) continue;
      count += r.positions.length;
      if (k === bestIdx) best = r.opposed.size;
      if (r.opposed.size * a > aligned) aligned = r.opposed.size * a;
      const o = ownVoiceOpposed(s, opposed) * a;
      if (o > own) own = o;
      near += r.near * a;
    }
  }
  let flip = 0;
  if (bestIdx >= 0 && (alignment[bestIdx] as number) >= FLIP_MIN_ALIGNMENT) {
    const s = info[bestIdx] as SentenceInfo;
    const flips = (best > 0 ? 1 : 0) + (s.cues.negation > 0 ? 1 : 0) + (claimNegated ? 1 : 0);
    flip = flips % 2 === 0 ? 1 : -1;
  }
  let i = offset;
  out[i++] = best;
  out[i++] = aligned;
  out[i++] = own;
  out[i++] = near;
  out[i++] = count;
  out[i] = flip;
}

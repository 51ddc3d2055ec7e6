/**
 * The shared-name rule, applied after the model: a body that shares with the headline one name (a
 * town, a person, a company) and none of what the headline says about it tells another story.
 * "Harwick will ban diesel cars from its city centre from 2027" over "A family bakery opened on
 * Harwick's high street …" is unrelated, however sure the model is.
 *
 * FNC-1 pairs its unrelated headlines and bodies at random, so an unrelated body there almost never
 * uses a headline's names, and the model reads one shared name as a shared story: the shipped model
 * calls all ten such pairs of the challenge set's open half related (most of them agree), and a
 * local newsroom's archive, where every story names its town, is full of them. The rule holds when
 *
 * - the headline's names (its sure names, {@link claimNames}, and its words the body writes as a
 *   name) form runs of adjacent words, and exactly one run ("Senator Ellen Marsh", "Harwick") has
 *   a word the body uses: two shared names ("Christian Bale" and "Steve Jobs") are the same story
 *   more often than not;
 * - the headline has at least {@link MIN_OTHER_WORDS} other content words (numbers aside), the
 *   body uses none of them, no body word is a near-synonym of one (cosine ≥ {@link NEAR_SYNONYM} in
 *   the model's word vectors: "abducted" for "kidnapped"), and the body words within cosine
 *   {@link SOFT_MATCH} of them carry less than {@link MAX_SOFT_SHARE} of their IDF weight (FNC-1's
 *   related bodies often say the claim in other words).
 *
 * Chosen on the claim split's dev part only (docs/MODEL.md, "Rules `c5`", which also says where it
 * is wrong: reports of one event that share none of the headline's words). Pure; linear in the
 * body's length (the word vectors are only compared for the few pairs that pass the exact tests).
 */
import { boostOdds, liftAbove, LABELS } from '../labels.js';
import { isStopword, stem, WORD } from '../text/tokenize.js';
import type { Vocabulary } from './vocabulary.js';
import { bestCosines, type BodyFeatures, type ClaimFeatures } from './extract.js';

/** The least number of the headline's content words that are not names. */
export const MIN_OTHER_WORDS = 2;
/** A body word this close to one of those words (cosine of unit word vectors) says it in other words. */
export const SOFT_MATCH = 0.6;
/** The rule holds only while the words the body says in other words carry less than this share of their IDF weight. */
export const MAX_SOFT_SHARE = 0.5;

/** A body word this close to any one of those words is a near-synonym ("abducted" for "kidnapped"): the rule does not hold. */
export const NEAR_SYNONYM = 0.75;

/** The rule's settings (the constants above unless an experiment changes them). */
export interface SharedNameSettings {
  minOthers: number;
  softMatch: number;
  maxSoftShare: number;
  nearSynonym: number;
}
const DEFAULT_SETTINGS: SharedNameSettings = {
  minOthers: MIN_OTHER_WORDS,
  softMatch: SOFT_MATCH,
  maxSoftShare: MAX_SOFT_SHARE,
  nearSynonym: NEAR_SYNONYM,
};
/** Added to the unrelated log-odds where the rule holds, before unrelated is made the label. */
export const SHARED_NAME_BOOST = 3;

/** Where the rule holds: the one name the body shares, as the headline writes it, and the headline's other words. */
export interface SharedNameOnly {
  /** The shared name as the headline writes it ("Harwick", "Senator Ellen Marsh"). */
  name: string;
  /** The headline's other content words, none of which the body uses. */
  others: string[];
}

/**
 * A headline word as written, lower-cased and stemmed, and whether it is one of the headline's sure
 * names ({@link ClaimFeatures}.names); undefined for a stop word or a number.
 */
export type ClaimWord = { written: string; lower: string; stem: string; sure: boolean } | undefined;
/** Per headline (checked against many bodies): its words, read once. */
const claimWordCache = new WeakMap<ClaimFeatures, ClaimWord[]>();

/** A headline word is a name when it is one of the headline's sure names or the body writes it as one. */
function isName(w: NonNullable<ClaimWord>, nameTf: BodyFeatures['nameTf']): boolean {
  return w.sure || nameTf.has(w.stem);
}

/** The headline's words in order (stop words and numbers as undefined), read once per headline; the absent-names rule reads them too. */
export function claimWords(claim: ClaimFeatures): ClaimWord[] {
  let words = claimWordCache.get(claim);
  if (words) return words;
  const sure = new Set(claim.names.filter((n) => n.sure).map((n) => n.stem));
  words = [];
  for (const m of claim.text.matchAll(WORD)) {
    const written = m[0].replace(/['’]s$/u, '');
    const lower = written.toLowerCase().replace(/’/g, "'");
    // Numbers are not what a story is about, and "2,000" is read as "2" and "000".
    if (isStopword(lower) || /^\p{N}+$/u.test(lower)) words.push(undefined);
    else {
      const st = stem(lower);
      words.push({ written, lower, stem: st, sure: sure.has(st) });
    }
  }
  claimWordCache.set(claim, words);
  return words;
}

/** Does the body share only one name with the headline, and nothing it says about it? */
export function sharedNameOnly(
  claim: ClaimFeatures,
  body: BodyFeatures,
  vocab: Pick<Vocabulary, 'vectors' | 'dim' | 'idf' | 'defaultIdf'>,
  settings: SharedNameSettings = DEFAULT_SETTINGS,
): SharedNameOnly | undefined {
  const words = claimWords(claim);
  const { nameTf, stemTf } = body;
  // The headline's words in order: runs of adjacent names (a name: a sure name of the headline or
  // a word the body writes as a name), and the other words. One pass without allocating, since
  // most pairs stop at their first other word the body uses.
  let sharedRuns = 0;
  let sharedFrom = -1;
  let sharedTo = -1;
  let runFrom = -1;
  let runShared = false;
  let otherWords = 0;
  for (let i = 0; i <= words.length; i++) {
    const w = i < words.length ? words[i] : undefined;
    if (w !== undefined && isName(w, nameTf)) {
      if (runFrom < 0) runFrom = i;
      if (stemTf.has(w.stem)) runShared = true;
      continue;
    }
    if (runFrom >= 0 && runShared) {
      sharedRuns++;
      sharedFrom = runFrom;
      sharedTo = i;
    }
    runFrom = -1;
    runShared = false;
    if (w === undefined) continue;
    if (stemTf.has(w.stem)) return undefined;
    otherWords++;
  }
  if (sharedRuns !== 1 || otherWords < settings.minOthers) return undefined;
  const others: string[] = [];
  const seen = new Set<string>();
  for (const w of words)
    if (w !== undefined && !isName(w, nameTf) && !seen.has(w.stem)) {
      seen.add(w.stem);
      others.push(w.lower);
    }
  if (others.length < settings.minOthers) return undefined;
  if (softShare(others, body, vocab, settings) >= settings.maxSoftShare) return undefined;
  const name = words
    .slice(sharedFrom, sharedTo)
    .map((w) => (w as NonNullable<ClaimWord>).written)
    .join(' ');
  return { name, others };
}

/**
 * The IDF-weighted share of `words` that the body says in other words: a body word within cosine
 * `softMatch` of it in the model's word vectors, among the words that have a vector (0 when none
 * has, or the model has no vectors). Weighted, so that a generic word close to another generic one
 * ("city" and "area") counts for little and a telling one ("kidnapped" and "abducted") for much;
 * a near-synonym (cosine ≥ `nearSynonym`) of any one of them makes it 1.
 */
function softShare(
  words: readonly string[],
  body: BodyFeatures,
  vocab: Pick<Vocabulary, 'vectors' | 'dim' | 'idf' | 'defaultIdf'>,
  { softMatch, nearSynonym }: Pick<SharedNameSettings, 'softMatch' | 'nearSynonym'>,
): number {
  const vectors = vocab.vectors;
  if (!vectors || vocab.dim === 0) return 0;
  const wanted: Float32Array[] = [];
  const weights: number[] = [];
  for (const w of words) {
    const v = vectors.get(w);
    if (!v) continue;
    wanted.push(v);
    weights.push(vocab.idf.get(stem(w)) ?? vocab.defaultIdf);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  // Each word's best cosine with a word of the body (its rows: one per distinct content word).
  const best = bestCosines(wanted, body.info, body.wordMatrix, vocab.dim);
  let soft = 0;
  for (let j = 0; j < wanted.length; j++) {
    const c = best[j] as number;
    if (c >= nearSynonym) return 1;
    if (c >= softMatch) soft += weights[j] as number;
  }
  return soft / total;
}

const UNRELATED = LABELS.indexOf('unrelated');

/**
 * What the checker does where the rule holds: multiplies the unrelated odds of probabilities `p`
 * (LABELS order, summing to 1) by e^{@link SHARED_NAME_BOOST} and, if another label is still more
 * probable, lifts unrelated just above it, so the label is unrelated. In place.
 */
export function decideUnrelated(p: Float64Array): Float64Array {
  boostOdds(p, UNRELATED, SHARED_NAME_BOOST);
  return liftAbove(p, UNRELATED);
}

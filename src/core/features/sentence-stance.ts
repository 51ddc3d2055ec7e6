/**
 * Sentence-level stance: how much each body sentence agrees with, refutes or only discusses a
 * claim, from the shared cue scoping (scope.ts). One implementation for the model's features
 * (aggregated over the body in stance.ts: the strongest refuting sentence, not only the mean) and
 * for stance-aware evidence. Pure; linear in the body length.
 *
 * A sentence bears on the claim through its alignment (the IDF-weighted share of claim words it
 * carries) or, for a short verdict ("FALSE.", "The story is a hoax"), through a reference to it.
 * Then, in the body's own voice:
 *   disagree ← refuting words, withdrawals/reversals and negations scoped to the claim's clause
 *              (a negated headline flips negations: "X did not…" over "X did not…" agrees);
 *   discuss  ← attribution ("said", "according to"), doubt ("may", "allegedly"), questions,
 *              quoting the claim as a claim;
 *   agree    ← the claim's words stated plainly (no hedge, no refutation) or with confirmation.
 * Quoted speech of other people counts at half weight.
 */
import { analysisOf, type BodyFeatures, type ClaimFeatures, type SentenceInfo } from './extract.js';
import { scopeSentence, type ScopedSentence } from './scope.js';
import { PLAIN_NEGATION } from './lexicons.js';

/** Stance scores of one body sentence toward a claim, each in [0, 1). */
export interface SentenceStance {
  agree: number;
  disagree: number;
  discuss: number;
}

/** How strongly a sentence bears on the claim when it only refers to it ("the story", "FALSE"). */
const REFERENCE_BEARING = 0.35;

const squash = (x: number): number => 1 - Math.exp(-x);

/** The claim is itself negated ("X did not…", "No, …"): body negations then agree. */
export function claimNegated(claim: ClaimFeatures): boolean {
  return claim.cues.negation + claim.cues.refute > 0 || /^\s*no[,:.!]/i.test(claim.text);
}

/**
 * Words by which a claim itself says something is not so: negations ("X will not…", "No, …") and
 * denials or verdicts of falsity ("Police deny …", "… is a hoax"). Narrower than the cue lists
 * {@link claimNegated} reads: "rumour", "dispute" or "without" in a headline do not deny anything.
 */
const DENYING: ReadonlySet<string> = new Set([
  ...PLAIN_NEGATION,
  ...`deny denies denied denying denial false falsely fake faked hoax hoaxes untrue debunk debunks
  debunked myth bogus fabricated refute refutes refuted`
    .split(/\s+/)
    .filter(Boolean),
]);

/** The claim itself denies something ("Bale won't play Jobs", "Police deny Banksy arrest"); "No. 1" does not. */
export function claimDenies(claim: ClaimFeatures): boolean {
  const t = claim.tokens;
  return t.some((w, i) => DENYING.has(w) && !(w === 'no' && /^\d/.test(t[i + 1] ?? '')));
}

/** How the sentence scores read a claim's polarity. */
export interface StanceRules {
  /**
   * A claim that denies ({@link claimDenies}) is echoed by the body's refutations, reversals and
   * negations alike and contradicted by a plain or confirming statement of its words ("Police deny
   * Banksy arrest" over "It is completely fake" agrees, over "Banksy was arrested, police
   * confirmed" disagrees). Off, only negations flip with a negated claim: how the shipped model's
   * features were computed.
   */
  denyingClaimFlips: boolean;
}

/**
 * The rules the model's features use (those the shipped model was trained with). Switching
 * `denyingClaimFlips` on for them was measured and did not earn a new model (docs/MODEL.md,
 * "Headlines that deny something").
 */
export const FEATURE_STANCE_RULES: StanceRules = { denyingClaimFlips: false };

/** The rules explanations use (evidence ranking and reasons). */
export const EXPLAIN_STANCE_RULES: StanceRules = { denyingClaimFlips: true };

/** How a claim's own polarity turns the body's cues. */
export interface ClaimPolarity {
  /** Negated ({@link claimNegated}): the body's negations echo it. */
  negated: boolean;
  /** It denies something and the rules flip for it: every refuting cue echoes it, a plain statement disputes it. */
  denies: boolean;
}

/** The claim's polarity as `rules` read it. */
export function claimPolarity(claim: ClaimFeatures, rules: StanceRules): ClaimPolarity {
  return { negated: claimNegated(claim), denies: rules.denyingClaimFlips && claimDenies(claim) };
}

/** Scores one scoped sentence with alignment `a` (0..1) toward a claim of polarity `polarity`. */
export function scoreScoped(
  sc: ScopedSentence,
  a: number,
  question: boolean,
  polarity: ClaimPolarity,
): SentenceStance {
  const { negated: negatedClaim, denies: denyingClaim } = polarity;
  let refute = 0;
  let negation = 0;
  let reversal = 0;
  let attribution = 0;
  let doubt = 0;
  let support = 0;
  let referenced = false;
  for (const c of sc.cues) {
    if (c.voice === 'claim') continue;
    const w = (c.voice === 'quote' ? 0.5 : 1) * (c.anchor === 'reference' ? 0.7 : 1);
    if (c.anchor === 'reference') referenced = true;
    switch (c.kind) {
      case 'refute':
        refute += w;
        break;
      case 'negation':
        negation += w;
        break;
      case 'reversal':
        reversal += w;
        break;
      case 'hedge':
        if (c.attribution) attribution += w;
        else doubt += w;
        break;
      case 'support':
        support += w;
        break;
    }
  }
  const bearing = Math.max(a, referenced ? REFERENCE_BEARING : 0);
  if (bearing <= 0) return { agree: 0, disagree: 0, discuss: 0 };
  const hedge = attribution * 0.5 + doubt * 0.9 + (question ? 1 : 0) + (sc.quotesClaim ? 0.6 : 0);
  if (denyingClaim) {
    // The body's own refutations echo a denying claim; stating its words plainly contradicts it.
    const echo = refute * 1.2 + reversal * 0.8 + negation * 0.6;
    const states = (!sc.hedged && echo === 0 ? 1 : 0) + support * 0.7;
    return {
      agree: squash(bearing * echo),
      disagree: squash(bearing * states),
      discuss: squash(bearing * hedge),
    };
  }
  const contra = refute * 1.2 + reversal * 0.8 + (negatedClaim ? 0 : negation * 0.6);
  const plain = !sc.hedged && refute + negation + reversal === 0 ? 1 : 0;
  const affirm = plain + support * 0.7 + (negatedClaim ? negation * 0.6 : 0);
  return {
    agree: squash(bearing * affirm),
    disagree: squash(bearing * contra),
    discuss: squash(bearing * hedge),
  };
}

/**
 * Stance scores of every body sentence toward the claim. `alignment` is the per-sentence claim
 * alignment from pairFeatures. Sentences with no claim word and no neighbour that has one are
 * not scoped (score 0), which keeps unrelated pairs cheap.
 */
export function sentenceStances(
  claim: ClaimFeatures,
  body: BodyFeatures,
  alignment: ArrayLike<number>,
): SentenceStance[] {
  const claimStems = new Set(claim.stems);
  const polarity = claimPolarity(claim, FEATURE_STANCE_RULES);
  const n = body.info.length;
  const out: SentenceStance[] = new Array<SentenceStance>(n);
  for (let s = 0; s < n; s++) {
    const a = alignment[s] as number;
    const near =
      a > 0 || (s > 0 && (alignment[s - 1] as number) > 0) || (s + 1 < n && (alignment[s + 1] as number) > 0);
    if (!near) {
      out[s] = { agree: 0, disagree: 0, discuss: 0 };
      continue;
    }
    const an = analysisOf(body.info[s] as SentenceInfo);
    out[s] = scoreScoped(scopeSentence(an, claimStems), a, an.question, polarity);
  }
  return out;
}

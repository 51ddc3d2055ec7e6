/**
 * The own-voice statement rule: the mirror of the own-voice contradiction rule (contradiction.ts),
 * applied after the model. A plain headline ("Bus drivers in Leeds to strike over pay") over a body
 * whose first sentence carries most of it in the article's own voice, with nothing bearing on it
 * that hedges, attributes doubt, negates or refutes, is what a newsroom writes under its own
 * headline: the story states the claim. FNC-1's training pairs label such pairs agree and discuss
 * about equally, so the model reads many of them as discuss; the rule raises the agree odds by
 * e^{@link STATEMENT_BOOST}, which turns near ties, not confident readings.
 *
 * Chosen on the claim split's dev part only (docs/MODEL.md, "Rules `c3`"). A plain
 * speech verb after the statement ("…, police said", "… the union announced") does not count as
 * doubt: that is how a news lead names its source. Pure; linear in the first sentence's length.
 */
import { analysisOf, type BodyFeatures, type ClaimFeatures, type SentenceInfo } from './extract.js';
import { EXPLAIN_SCOPE_RULES, scopeSentence } from './scope.js';
import { boostOdds, LABELS } from '../labels.js';

/** The least alignment (IDF-weighted share of the headline's words) of the stating first sentence. */
export const STATEMENT_MIN_ALIGNMENT = 0.6;
/** Added to the agree log-odds when the rule holds: P(agree) odds × e^0.5 (about 1.65). */
export const STATEMENT_BOOST = 0.5;
/** Speech verbs that name a lead's source without doubting it ("…, police said"). */
const PLAIN_SPEECH: ReadonlySet<string> = new Set(['said', 'says', 'told', 'announced', 'confirmed']);

/**
 * Does the body's first sentence state a plain claim in the body's own voice? The claim has no
 * hedge, attribution, negation, refuting word (its cue counts, which also cover every denial) or
 * question of its own; the sentence is no question,
 * does not quote the claim as a claim, carries at least {@link STATEMENT_MIN_ALIGNMENT} of it, and
 * no cue bears on the claim in it other than confirmation or a plain speech verb.
 */
export function ownVoiceStatement(
  claim: ClaimFeatures,
  body: BodyFeatures,
  alignment: ArrayLike<number>,
): boolean {
  const { cues } = claim;
  if (cues.question || cues.hedge + cues.negation + cues.refute > 0) return false;
  const first = body.info[0];
  if (!first || (alignment[0] ?? 0) < STATEMENT_MIN_ALIGNMENT) return false;
  const an = analysisOf(first as SentenceInfo);
  if (an.question) return false;
  const sc = scopeSentence(an, new Set(claim.stems), EXPLAIN_SCOPE_RULES);
  if (sc.quotesClaim) return false;
  return sc.cues.every(
    (c) => c.anchor !== 'claim' || c.kind === 'support' || (c.kind === 'hedge' && PLAIN_SPEECH.has(c.word)),
  );
}

const AGREE = LABELS.indexOf('agree');

/** Multiplies the agree odds of probabilities `p` (LABELS order, summing to 1) by e^boost, in place. */
export function boostAgree(p: Float64Array, boost: number = STATEMENT_BOOST): Float64Array {
  return boostOdds(p, AGREE, boost);
}

/**
 * Stance features of a pair (group `stance.*`): the headline's own
 * polarity and hedging; lexicon cues per body sentence in the body's own voice (outside quotation
 * marks); cues scoped to the clause that carries the headline's words (scope.ts, the one scoping
 * shared with explanations); and sentence-level stance signals aggregated over the body, where the
 * strongest refuting sentence counts more than the average. Pure; per-body work is memoised per
 * prepared body.
 */
import { tokenize } from '../text/tokenize.js';
import { PLAIN_NEGATION } from './lexicons.js';
import { analysisOf, type BodyFeatures, type ClaimFeatures, type SentenceInfo } from './extract.js';
import { scopeSentence, type CueKind } from './scope.js';
import {
  claimPolarity,
  FEATURE_STANCE_RULES,
  scoreScoped,
  type SentenceStance as SentenceScores,
} from './sentence-stance.js';
import type { ScopedSentence } from './scope.js';

const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

/** Words that say a claim is false, a hoax or made up (strong refutation). */
export const DEBUNK = words(`
  hoax hoaxes fake faked fakes bogus debunk debunked debunks debunking untrue false falsely
  fabricated fabrication satire satirical parody spoof prank photoshopped doctored baseless
  unfounded misinformation disinformation rumour rumor rumours rumors myth nonsense lie lies`);

/** Denial and correction verbs. */
export const DENY = words(`
  deny denies denied denying denial refute refutes refuted rebut rebuts rebutted dismiss dismissed
  dismisses reject rejects rejected retract retracts retracted retraction correct corrected
  correction clarify clarified clarifies contradict contradicts contradicted insist insists insisted`);

/** Withdrawal and reversal: the reported event was called off, undone or never took place. */
export const WITHDRAW = words(`
  withdraw withdraws withdrew withdrawn withheld withhold withholds halt halted halts suspend
  suspended suspends cancel cancels cancelled canceled scrap scrapped scraps abandon abandoned
  abandons revoke revoked reversed reverses reversal overturned postponed delayed blocked
  pulled backed quit quits exited alive survived safe unharmed recovered returned released freed
  found rescued`);

/** Attribution and hedging that marks a report, not an assertion. */
export const REPORT = words(`
  reportedly report reports reported allegedly alleged alleges claim claims claimed claiming
  according purportedly purported rumored rumoured apparently supposedly unconfirmed unverified
  speculation speculated sources source said says say told tells believed suspected`);

/** Modal and epistemic hedges. */
export const MODAL = words(
  `may might could possibly possible probably likely perhaps maybe seems seem appears appear whether if unclear`,
);

/** Confirmation words. */
export const CONFIRM = words(
  `confirmed confirms confirm confirming announced announces officially verified proved proven proves indeed admitted admits acknowledged acknowledges revealed reveals`,
);

/** Negation. */
export const NEG = PLAIN_NEGATION;

/** Multi-word refutations, matched on the lower-cased token string (spaces between tokens). */
const REFUTE_PHRASES = [
  'not true',
  'no evidence',
  'no truth',
  'no proof',
  'not real',
  'never happened',
  'did not happen',
  'didnt happen',
  'made up',
  'turned out',
  'in fact',
  'fake news',
  'no longer',
  'called off',
  'pulled out',
  'backed out',
  'false report',
  'false reports',
  'is not',
  'was not',
  'has not',
  'have not',
  'did not',
  'didnt',
  'wasnt',
  'isnt',
  'hasnt',
  'not the case',
  'no plans',
  'no intention',
  'nothing to do with',
  'not been',
];

/** Stance-relevant cue kinds, each counted with its word list above (DEBUNK … NEG). */
type Kind = 'debunk' | 'deny' | 'withdraw' | 'report' | 'modal' | 'confirm' | 'neg';

/** Cue counts of one body sentence, outside quotation marks (the body's own voice). */
interface SentenceCues {
  own: Record<Kind, number>;
  phrases: number;
  question: boolean;
}

const zero = (): Record<Kind, number> => ({
  debunk: 0,
  deny: 0,
  withdraw: 0,
  report: 0,
  modal: 0,
  confirm: 0,
  neg: 0,
});

/** Each refuting phrase as its words, listed under its first word. */
const PHRASES_BY_FIRST_WORD = new Map<string, { words: readonly string[]; index: number }[]>();
REFUTE_PHRASES.forEach((p, index) => {
  const words = p.split(' ');
  const first = words[0] as string;
  let list = PHRASES_BY_FIRST_WORD.get(first);
  if (!list) PHRASES_BY_FIRST_WORD.set(first, (list = []));
  list.push({ words, index });
});

/**
 * How many of the refuting phrases occur in the tokens, each counted once: a phrase occurs where
 * its words are consecutive tokens (the same as finding " phrase " in the tokens joined by spaces,
 * as tokens hold no spaces), looked up by the token that would start it.
 */
function phraseCount(tokens: readonly string[]): number {
  let found: Uint8Array | undefined;
  let c = 0;
  for (let i = 0; i < tokens.length; i++) {
    const candidates = PHRASES_BY_FIRST_WORD.get(tokens[i] as string);
    if (!candidates) continue;
    for (const { words, index } of candidates) {
      if (found?.[index] === 1 || i + words.length > tokens.length) continue;
      let k = 1;
      while (k < words.length && tokens[i + k] === words[k]) k++;
      if (k < words.length) continue;
      (found ??= new Uint8Array(REFUTE_PHRASES.length))[index] = 1;
      c++;
    }
  }
  return c;
}

function analyseSentence(text: string): SentenceCues {
  const own = zero();
  const ownTokens: string[] = [];
  // Text between straight double quotes is someone else's voice.
  text.split('"').forEach((part, pi) => {
    if (pi % 2 === 1) return;
    for (const t of tokenize(part)) {
      ownTokens.push(t);
      // Kind by kind, written out (a loop over the kinds' names is a keyed access each time).
      if (DEBUNK.has(t)) own.debunk++;
      if (DENY.has(t)) own.deny++;
      if (WITHDRAW.has(t)) own.withdraw++;
      if (REPORT.has(t)) own.report++;
      if (MODAL.has(t)) own.modal++;
      if (CONFIRM.has(t)) own.confirm++;
      if (NEG.has(t)) own.neg++;
    }
  });
  return { own, phrases: phraseCount(ownTokens), question: text.trimEnd().endsWith('?') };
}

const memo = new WeakMap<BodyFeatures, SentenceCues[]>();

function bodyStance(body: BodyFeatures): SentenceCues[] {
  let s = memo.get(body);
  if (!s) {
    s = body.info.map((i: SentenceInfo) => analyseSentence(i.clean));
    memo.set(body, s);
  }
  return s;
}

/** Headline-side polarity and hedging. */
function claimStance(claim: ClaimFeatures): {
  report: number;
  modal: number;
  neg: number;
  noComma: number;
  question: number;
  withdraw: number;
  debunk: number;
} {
  const t = claim.tokens;
  const c = { report: 0, modal: 0, neg: 0, noComma: 0, question: 0, withdraw: 0, debunk: 0 };
  for (const w of t) {
    if (REPORT.has(w)) c.report++;
    if (MODAL.has(w)) c.modal++;
    if (NEG.has(w)) c.neg++;
    if (WITHDRAW.has(w)) c.withdraw++;
    if (DEBUNK.has(w) || DENY.has(w)) c.debunk++;
  }
  if (/^\s*no[,:.!]/i.test(claim.text)) c.noComma = 1;
  if (claim.text.includes('?')) c.question = 1;
  return c;
}

/** Names of the stance features, in vector order. */
export const STANCE_FEATURE_NAMES = [
  'stance.claim_report',
  'stance.claim_modal',
  'stance.claim_neg',
  'stance.claim_no_comma',
  'stance.claim_withdraw',
  'stance.claim_debunk',
  'stance.max_refute_sent',
  'stance.max_refute_align',
  'stance.refute_sent_share',
  'stance.debunk_sents',
  'stance.refute_after_best',
  'stance.plain_aligned_share',
  'stance.plain_best',
  'stance.hedged_aligned_share',
  'stance.question_aligned',
  'stance.claimneg_x_bodyneg',
  'stance.claimhedge_x_debunk',
  'stance.claimwithdraw_x_reversal',
  'stance.body_debunk_rate',
  'stance.body_deny_rate',
  'stance.body_withdraw_rate',
  'stance.body_modal_rate',
  'stance.scope_refute',
  'stance.scope_negation',
  'stance.scope_hedge',
  'stance.scope_support',
  'stance.scope_reversal',
  'stance.scope_refute_max',
  'stance.scope_negation_max',
  'stance.scope_reversal_max',
  'stance.scope_refute_ref',
  'stance.scope_quote_refute',
  'stance.scope_quote_hedge',
  'stance.scope_claimvoice',
  'stance.scope_quotes_claim',
  'stance.scope_plain_share',
  'stance.scope_plain_best',
  'stance.scope_attribution',
  'stance.scope_doubt',
  'stance.sent_max_agree',
  'stance.sent_max_disagree',
  'stance.sent_max_discuss',
  'stance.sent_sum_agree',
  'stance.sent_sum_disagree',
  'stance.sent_sum_discuss',
  'stance.sent_best_agree',
  'stance.sent_best_disagree',
  'stance.sent_best_discuss',
  'stance.sent_lead_disagree',
] as const;

export const NUM_STANCE_FEATURES = STANCE_FEATURE_NAMES.length;

/** Writes the stance features of a pair into `out` from `offset`. */
export function stanceFeatures(
  claim: ClaimFeatures,
  body: BodyFeatures,
  alignment: ArrayLike<number>,
  out: Float64Array,
  offset = 0,
): void {
  const ss = bodyStance(body);
  const cs = claimStance(claim);
  const claimStems = new Set(claim.stems);
  const n = ss.length;
  // Sentences that carry the claim: alignment ≥ 0.25, or the best one.
  let bestIdx = -1;
  let bestA = -1;
  for (let i = 0; i < n; i++) {
    const a = alignment[i] as number;
    if (a > bestA) {
      bestA = a;
      bestIdx = i;
    }
  }
  let maxRefute = 0;
  let maxRefuteAlign = 0;
  let refuteSents = 0;
  let debunkSents = 0;
  let refuteAfterBest = 0;
  let aligned = 0;
  let plain = 0;
  let hedged = 0;
  let question = 0;
  let plainBest = 0;
  const bodyTot = zero();
  for (let i = 0; i < n; i++) {
    const s = ss[i] as SentenceCues;
    // Field by field (a loop over the kinds' names is a keyed access each time).
    bodyTot.debunk += s.own.debunk;
    bodyTot.deny += s.own.deny;
    bodyTot.withdraw += s.own.withdraw;
    bodyTot.report += s.own.report;
    bodyTot.modal += s.own.modal;
    bodyTot.confirm += s.own.confirm;
    bodyTot.neg += s.own.neg;
    const refute = s.own.debunk * 2 + s.own.deny + s.phrases + s.own.withdraw * 0.5;
    if (s.own.debunk > 0) debunkSents++;
    const a = alignment[i] as number;
    if (refute > 0) {
      refuteSents++;
      const r = refute * Math.max(0.1, a);
      if (r > maxRefute) maxRefute = r;
      if (a > maxRefuteAlign) maxRefuteAlign = a;
      if (i > bestIdx && i <= bestIdx + 3) refuteAfterBest += refute;
    }
    if (a >= 0.25 || i === bestIdx) {
      aligned++;
      const isPlain =
        s.own.report + s.own.modal + s.own.neg + s.own.debunk + s.own.deny === 0 &&
        !s.question &&
        s.phrases === 0;
      if (isPlain) {
        plain++;
        if (a > plainBest) plainBest = a;
      }
      if (s.own.report + s.own.modal > 0) hedged++;
      if (s.question) question++;
    }
  }
  // Scope the sentences that carry claim words (or neighbour one) once; both groups below use them.
  const scopedS: (ScopedSentence | undefined)[] = new Array<ScopedSentence | undefined>(n);
  const st: SentenceScores[] = new Array<SentenceScores>(n);
  const polarity = claimPolarity(claim, FEATURE_STANCE_RULES);
  for (let k = 0; k < n; k++) {
    const a = alignment[k] as number;
    const near =
      a > 0 || (k > 0 && (alignment[k - 1] as number) > 0) || (k + 1 < n && (alignment[k + 1] as number) > 0);
    if (!near) {
      st[k] = { agree: 0, disagree: 0, discuss: 0 };
      continue;
    }
    const an = analysisOf(body.info[k] as SentenceInfo);
    const sc = scopeSentence(an, claimStems);
    scopedS[k] = sc;
    st[k] = scoreScoped(sc, a, an.question, polarity);
  }
  let scopedNeg = 0;
  let scopedReversal = 0;
  for (let k = 0; k < n; k++) {
    const sc = scopedS[k];
    if (!sc) continue;
    const w = Math.max(0.1, alignment[k] as number);
    scopedNeg += w * (sc.counts.negation + sc.counts.refute);
    scopedReversal += w * sc.counts.reversal;
  }
  const per100 = 100 / Math.max(1, body.tokenCount);
  const claimNeg = cs.neg + cs.noComma > 0 ? 1 : 0;
  const claimHedge = cs.report + cs.modal + cs.question > 0 ? 1 : 0;
  const f = out;
  let i = offset;
  f[i++] = cs.report;
  f[i++] = cs.modal;
  f[i++] = cs.neg;
  f[i++] = cs.noComma;
  f[i++] = cs.withdraw;
  f[i++] = cs.debunk;
  f[i++] = maxRefute;
  f[i++] = maxRefuteAlign;
  f[i++] = n > 0 ? refuteSents / n : 0;
  f[i++] = debunkSents;
  f[i++] = refuteAfterBest;
  f[i++] = aligned > 0 ? plain / aligned : 0;
  f[i++] = plainBest;
  f[i++] = aligned > 0 ? hedged / aligned : 0;
  f[i++] = question;
  f[i++] = claimNeg * (scopedNeg > 0 ? 1 : -1);
  f[i++] = claimHedge * (maxRefute > 0 ? 1 : 0);
  f[i++] = cs.withdraw > 0 ? scopedReversal : -scopedReversal;
  f[i++] = bodyTot.debunk * per100;
  f[i++] = bodyTot.deny * per100;
  f[i++] = bodyTot.withdraw * per100;
  f[i++] = bodyTot.modal * per100;
  scopeFeatures(scopedS, alignment, f, i);
  i += 17;
  let mA = 0;
  let mD = 0;
  let mS = 0;
  let sA = 0;
  let sD = 0;
  let sS = 0;
  let lead = 0;
  st.forEach((x, k) => {
    if (x.agree > mA) mA = x.agree;
    if (x.disagree > mD) mD = x.disagree;
    if (x.discuss > mS) mS = x.discuss;
    sA += x.agree;
    sD += x.disagree;
    sS += x.discuss;
    if (k < 3 && x.disagree > lead) lead = x.disagree;
  });
  const b = bestIdx >= 0 ? st[bestIdx] : undefined;
  f[i++] = mA;
  f[i++] = mD;
  f[i++] = mS;
  f[i++] = sA;
  f[i++] = sD;
  f[i++] = sS;
  f[i++] = b?.agree ?? 0;
  f[i++] = b?.disagree ?? 0;
  f[i++] = b?.discuss ?? 0;
  f[i] = lead;
}

const SCOPE_KINDS: readonly CueKind[] = ['refute', 'negation', 'hedge', 'support', 'reversal'];

/** Features from the shared cue scoping (scope.ts) over the sentences that carry claim words. */
function scopeFeatures(
  scoped: readonly (ScopedSentence | undefined)[],
  alignment: ArrayLike<number>,
  f: Float64Array,
  i: number,
): void {
  const n = scoped.length;
  const sum: Record<CueKind, number> = { refute: 0, negation: 0, hedge: 0, support: 0, reversal: 0 };
  const max: Record<CueKind, number> = { refute: 0, negation: 0, hedge: 0, support: 0, reversal: 0 };
  let refRefute = 0;
  let quoteRefute = 0;
  let quoteHedge = 0;
  let claimVoice = 0;
  let quotesClaim = 0;
  let aligned = 0;
  let plain = 0;
  let plainBest = 0;
  let attribution = 0;
  let doubt = 0;
  for (let s = 0; s < n; s++) {
    const a = alignment[s] as number;
    const sc = scoped[s];
    if (!sc) continue;
    const w = Math.max(0.1, a);
    const own: Record<CueKind, number> = { refute: 0, negation: 0, hedge: 0, support: 0, reversal: 0 };
    for (const c of sc.cues) {
      if (c.voice === 'claim') {
        claimVoice++;
        continue;
      }
      if (c.voice === 'quote') {
        if (c.kind === 'refute' || c.kind === 'negation') quoteRefute += w;
        if (c.kind === 'hedge') quoteHedge += w;
        continue;
      }
      if (c.anchor === 'reference') {
        if (c.kind === 'refute') refRefute += 1;
        own[c.kind] += 0.5;
      } else own[c.kind] += 1;
      if (c.kind === 'hedge') {
        if (c.attribution) attribution += w;
        else doubt += w;
      }
    }
    for (const k of SCOPE_KINDS) {
      sum[k] += w * own[k];
      if (w * own[k] > max[k]) max[k] = w * own[k];
    }
    if (sc.quotesClaim) quotesClaim++;
    if (a >= 0.25) {
      aligned++;
      if (!sc.hedged && sc.counts.refute + sc.counts.negation === 0) {
        plain++;
        if (a > plainBest) plainBest = a;
      }
    }
  }
  f[i++] = sum.refute;
  f[i++] = sum.negation;
  f[i++] = sum.hedge;
  f[i++] = sum.support;
  f[i++] = sum.reversal;
  f[i++] = max.refute;
  f[i++] = max.negation;
  f[i++] = max.reversal;
  f[i++] = refRefute;
  f[i++] = quoteRefute;
  f[i++] = quoteHedge;
  f[i++] = claimVoice;
  f[i++] = quotesClaim;
  f[i++] = aligned > 0 ? plain / aligned : 0;
  f[i++] = plainBest;
  f[i++] = attribution;
  f[i] = doubt;
}

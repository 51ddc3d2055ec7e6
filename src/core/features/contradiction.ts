/**
 * The own-voice contradiction rule: a check applied after the model, for the pattern FNC-1's
 * training pairs teach it least. A plain headline ("Germany has delivered Taurus missiles to
 * Ukraine") over a body one of whose two sentences most like it says, in the article's own voice
 * and without attribution or doubt, that it was withdrawn, is false or did not happen ("Germany
 * has withheld …", "The festival has been cancelled", "The company did not …"), or whose next
 * sentence answers it with a denial ("Candidates keep saying that violent crime is rising. It is
 * not."; "The study behind it found nothing of the kind"). The model sees
 * the headline's words in that sentence and tends to call it agree or discuss; the rule raises
 * P(disagree).
 *
 * Chosen on the claim split's dev part only (docs/MODEL.md, "Own-voice contradiction rule"): the
 * rule holds on 56 of the 8,951 dev pairs (36 of them disagree, against 166 disagree pairs in
 * all); where it holds the checker makes disagree the label ({@link decideDisagree}), which took
 * dev macro-F1 from 0.672 to 0.699 and FNC from 0.856 to 0.859. Pure; linear in the sentence length.
 */
import { boostOdds, liftAbove, LABELS } from '../labels.js';
import {
  analysisOf,
  topIndexes,
  type BodyFeatures,
  type ClaimFeatures,
  type SentenceInfo,
} from './extract.js';
import { REVERSAL } from './lexicons.js';
import { stem } from '../text/tokenize.js';
import { EXPLAIN_SCOPE_RULES, scopeSentence, type ScopedCue, type SentenceAnalysis } from './scope.js';
import { claimDenies, claimNegated } from './sentence-stance.js';

/** The least alignment (IDF-weighted share of the headline's words) of the contradicting sentence. */
export const CONTRADICTION_MIN_ALIGNMENT = 0.5;
/**
 * Words of withdrawal the model's cue lists lack (adding them there would change the features of
 * the trained model): read by this rule alone, in the claim's clause and the body's own voice,
 * with the phrase "called off".
 */
export const MORE_REVERSALS: ReadonlySet<string> = new Set(
  `withheld halted suspended shelved postponed axed ditched revoked overturned rescinded vetoed
  collapsed ended`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Stems by which a headline itself reports a withdrawal or an end ("Rail strike called off",
 * "Doctors' strike ends", "Band postpones tour", "Government to scrap plan"): a body that says so
 * agrees with it. The cue list's own forms ("cancelled", "withdrawn") are checked as written.
 */
const CLAIM_WITHDRAWAL_STEMS: ReadonlySet<string> = new Set(
  [
    ...MORE_REVERSALS,
    'withhold',
    'scrap',
    'abandon',
    'reverse',
    'reject',
    'decline',
    'cancel',
    'withdraw',
  ].map(stem),
);

/**
 * A word of withdrawal or end: a reversal of the cue list as written, a word of
 * {@link CLAIM_WITHDRAWAL_STEMS} by its stem, or "call(s/ed)" before "off".
 */
function isWithdrawal(word: string, wordStem: string, next: string | undefined): boolean {
  return (
    REVERSAL.has(word) || CLAIM_WITHDRAWAL_STEMS.has(wordStem) || (wordStem === 'call' && next === 'off')
  );
}

/**
 * Reversal cues that reverse only a claim of death, loss or capture ("found", "released", "alive"):
 * over other claims they are plain news ("Police found mass graves …"), so this rule skips them.
 */
const CLAIM_DEPENDENT_REVERSALS: ReadonlySet<string> = new Set(
  `found released returned freed safe alive recovered survived`.split(' '),
);

/** Nouns of report that a refuting verb can take as its object ("denied reports that …"). */
const REPORT_NOUNS: ReadonlySet<string> = new Set(
  `report reports claim claims rumor rumors rumour rumours`.split(' '),
);

/**
 * A negation that does not deny what follows: "no less than", "not only", "didn't have to",
 * "nothing but", "not the first time".
 */
function idiomaticNegation(words: readonly string[], i: number): boolean {
  const next = words[i + 1];
  if (next === 'less' || next === 'only') return true;
  if (words[i] === 'nothing' && next === 'but') return true;
  if (next === 'the' && words[i + 2] === 'first') return true;
  if (next === 'be' && words[i + 2] === 'the' && words[i + 3] === 'first') return true;
  return (next === 'have' || next === 'need') && words[i + 2] === 'to';
}

/** Relative pronouns: a cue right after one ("parents who don't have the money") bears on the relative clause. */
const RELATIVE = new Set(['who', 'which', 'whose', 'whom', 'that']);
/** Auxiliaries that may stand between a relative pronoun and its negation ("airlines who are not missing …"). */
const AUXILIARY = new Set(
  `is are was were be been am do does did can could will would shall should may might must has have had`.split(
    ' ',
  ),
);
/** Subordinating words whose clause has a subject of its own ("after DiCaprio backed out", "after the siege ended"). */
const SUBORDINATE = new Set(
  `after before when whenever until till since once while because although though as if unless`.split(' '),
);
/** How far back (tokens) a subordinating word is looked for before a cue. */
const SUBORDINATE_REACH = 5;

/**
 * The cue at token `i` bears on a clause of its own, not on the claim: a relative clause ("who
 * don't", "that wouldn't require", "who are not"), a subordinate clause with its own subject
 * ("after Leonardo DiCaprio backed out", "after the shooting ended"), or "declined" with nothing
 * declined ("he declined.", "declined to comment").
 */
function boundElsewhere(tokens: SentenceAnalysis['tokens'], i: number): boolean {
  const t = tokens[i] as SentenceAnalysis['tokens'][number];
  const prev = tokens[i - 1];
  const prev2 = tokens[i - 2];
  if (prev && prev.clause === t.clause && RELATIVE.has(prev.word)) return true;
  if (prev && prev2 && AUXILIARY.has(prev.word) && prev2.clause === t.clause && RELATIVE.has(prev2.word))
    return true;
  for (let j = i - 1; j >= Math.max(0, i - SUBORDINATE_REACH); j--) {
    const u = tokens[j] as SentenceAnalysis['tokens'][number];
    if (u.clause !== t.clause) break;
    if (SUBORDINATE.has(u.word)) return true;
  }
  if (t.word === 'declined' || t.word === 'declines') {
    const next = tokens[i + 1];
    return !next || next.clause !== t.clause || next.word === 'to';
  }
  return false;
}

/** "backs" in a claim ("Senator backs the bill") supports; only "backs out/down/away" reverses. */
function supports(tokens: readonly string[], i: number): boolean {
  const w = tokens[i];
  if (w !== 'backs' && w !== 'backed') return false;
  const next = tokens[i + 1];
  return next !== 'out' && next !== 'down' && next !== 'away';
}

/** Added to the disagree log-odds when the rule holds: P(disagree) odds × e³. */
export const CONTRADICTION_BOOST = 3;

/**
 * Names this version of the rules the checker applies after the model (this contradiction rule,
 * the statement rule of statement.ts and the shared-name rule of shared-name.ts). Stored verdicts (the corpus's cache and audits) are
 * kept per model and rules version, so a change to a rule (bump this) is not hidden by verdicts
 * made before it. c3: the statement rule; refuting words that name something else; headlines that
 * report a withdrawal read for refutations and negated withdrawals. c4: the sentence after a
 * best-aligned one answering it with a denial ({@link answeredBy}); "not true" and "not the case"
 * read as refuting words. c5: the shared-name rule (another story that shares one name with the
 * headline and nothing it says about it is unrelated). c6: the absent-names rule of absent-names.ts
 * (a short body that names none of the headline's names and lacks most of its words is unrelated).
 * c7: the absent-names rule reads another name of the same thing as the name ("ISIS" or "IS" in
 * capitals for "Islamic State") and leaves a body that speaks in the first or second person (a
 * reader's comment) alone.
 */
export const CHECKER_RULES_VERSION = 'c7';

/** Where and how a body contradicts a plain claim in its own voice. */
export interface Contradiction {
  /** Index of the body sentence. */
  sentence: number;
  /** The contradicting word as written in the sentence, and its UTF-16 offsets there (end exclusive). */
  word: string;
  start: number;
  end: number;
  /** 'reversal': withdrawn, cancelled, withheld …; 'refute': false, hoax …; 'negation': not, never … */
  kind: 'reversal' | 'refute' | 'negation';
}

/** How many of the sentences best aligned with the claim the rule reads. */
export const CONTRADICTION_SENTENCES = 2;

/**
 * The body sentence that contradicts a plain claim in the body's own voice, if any.
 * The claim must be plain: no negation or denial, not a question. A claim that itself reports a
 * reversal, withdrawal or end ("X quits …", "… called off", "… ends", "… postpones …"; "backs" as in
 * "Senator backs the bill" is support) is contradicted only by a refuting word or by a negation of
 * a withdrawal ("has not cancelled"): the body's withdrawal words and other negations echo it. The sentence is one of the {@link CONTRADICTION_SENTENCES} best aligned with the claim
 * (the better first; of equals, the earlier), carries at least
 * {@link CONTRADICTION_MIN_ALIGNMENT} of it, is no question and does not quote the claim; in a
 * clause with the claim's words it has a reversal, refuting word or negation in the body's own
 * voice (not quoted speech, not inside a report of the claim, not bound to a relative or
 * subordinate clause of its own: see boundElsewhere), and no attribution or doubt ("says",
 * "reportedly", "may") bears on the claim in it, except a plain speech verb with a refuting word
 * ("… is fake, experts said"). Where such a sentence holds no contradiction itself, the sentence
 * right after it may answer it with a denial ({@link answeredBy}).
 */
export function ownVoiceContradiction(
  claim: ClaimFeatures,
  body: BodyFeatures,
  alignment: ArrayLike<number>,
): Contradiction | undefined {
  if (claim.cues.question || claimNegated(claim) || claimDenies(claim)) return undefined;
  // A headline that itself reports a withdrawal or an end is echoed, not contradicted, by the
  // body's withdrawal words and by negations of something else ("Bale quits …" over "Bale will not
  // play …"); a refutation, or a negation of the withdrawal itself ("has not cancelled"), contradicts it.
  const t = claim.tokens;
  const reverses = t.some((w, i) => isWithdrawal(w, stem(w), t[i + 1]) && !supports(t, i));
  const stems = new Set(claim.stems);
  for (const s of topIndexes(alignment, CONTRADICTION_SENTENCES)) {
    if ((alignment[s] as number) < CONTRADICTION_MIN_ALIGNMENT) return undefined;
    const found = sentenceContradiction(stems, body, s, reverses) ?? answeredBy(body, s + 1);
    if (found) return found;
  }
  return undefined;
}

/** Subjects that point back at the sentence before ("It is not.", "That is false."). */
const ANAPHORS: ReadonlySet<string> = new Set(['it', 'that', 'this', 'they']);
/** Words that may open the answer ("But it is not."). */
const LINKS: ReadonlySet<string> = new Set(['but', 'yet', 'and']);
const AUXILIARIES: ReadonlySet<string> = new Set(
  'is was are were has have had did does do will would can could'.split(' '),
);
/** The same, negated ("didn't" is tokenised "didnt"). */
const NEGATED_AUXILIARIES: ReadonlySet<string> = new Set(
  'isnt wasnt arent werent hasnt havent hadnt didnt doesnt dont wont wouldnt cant couldnt'.split(' '),
);
const DEGREE: ReadonlySet<string> = new Set([
  'simply',
  'just',
  'certainly',
  'clearly',
  'plainly',
  'absolutely',
]);
/** Words a negation turns into a verdict of falsity: "not true", "not correct", "not accurate". */
const VERDICTS: ReadonlySet<string> = new Set(['true', 'correct', 'accurate']);
/** What may end a short answer after its negation: a verdict, or "not so", "not right". */
const ANSWER_ENDS: ReadonlySet<string> = new Set([...VERDICTS, 'so', 'right']);
const FALSITY: ReadonlySet<string> = new Set([
  'false',
  'untrue',
  'wrong',
  'incorrect',
  'inaccurate',
  'baseless',
]);
/** Phrases that deny what was just said wherever they stand ("found nothing of the kind"). */
const NOTHING_OF_THE_KIND: readonly (readonly string[])[] = [
  ['no', 'such', 'thing'],
  ['nothing', 'of', 'the', 'kind'],
  ['nothing', 'of', 'the', 'sort'],
];
/** Length of the words of `ends`, or "the case", at token `i` (0 when neither stands there). */
function truthAt(words: readonly string[], i: number, ends: ReadonlySet<string>): number {
  if (ends.has(words[i] ?? '')) return 1;
  return words[i] === 'the' && words[i + 1] === 'case' ? 2 : 0;
}

/** The negation at token `i` denies a truth: "not true", "not correct", "not accurate", "not the case". */
function deniesTruth(words: readonly string[], i: number): boolean {
  return truthAt(words, i + 1, VERDICTS) > 0;
}

/** The contradiction in sentence `s` of the body at [start, end) of its text. */
function contradictionAt(
  info: SentenceInfo,
  s: number,
  kind: Contradiction['kind'],
  start: number,
  end: number,
): Contradiction {
  return { sentence: s, word: info.text.slice(start, end), start, end, kind };
}

/** Longest short answer read as such, in words ("But that is simply not the case"). */
const ANSWER_WORDS = 7;

/**
 * Sentence `s` answers the sentence before it with a denial in the body's own voice: a short
 * sentence whose subject points back at it ("It is not.", "It has not.", "That is simply false.",
 * "But this is not true.") or a sentence that says the claim found or shows "nothing of the kind"
 * / "no such thing" (not "no such thing as …"). The pattern of op-eds and fact-checks that first
 * state a claim ("Candidates keep saying that violent crime is rising") and then deny it.
 */
function answeredBy(body: BodyFeatures, s: number): Contradiction | undefined {
  const info = body.info[s];
  if (!info) return undefined;
  const an = analysisOf(info as SentenceInfo);
  if (an.question) return undefined;
  const t = an.tokens;
  const at = (kind: Contradiction['kind'], first: number, last: number): Contradiction =>
    contradictionAt(
      info,
      s,
      kind,
      (t[first] as SentenceAnalysis['tokens'][number]).start,
      (t[last] as SentenceAnalysis['tokens'][number]).end,
    );
  for (let i = 0; i < t.length; i++) {
    for (const phrase of NOTHING_OF_THE_KIND) {
      const j = i + phrase.length;
      if (j > t.length || t[j]?.word === 'as') continue;
      if (phrase.every((w, k) => t[i + k]?.word === w && (t[i + k]?.quote ?? 0) < 0))
        return at('refute', i, j - 1);
    }
  }
  if (t.length > ANSWER_WORDS || t.some((x) => x.quote >= 0)) return undefined;
  let i = 0;
  while (i < t.length && LINKS.has((t[i] as SentenceAnalysis['tokens'][number]).word)) i++;
  if (!ANAPHORS.has(t[i]?.word ?? '')) return undefined;
  const first = i + 1;
  const words = t.map((x) => x.word);
  const word = (k: number) => words[k] ?? '';
  let k = first;
  if (NEGATED_AUXILIARIES.has(word(k))) k++;
  else if (AUXILIARIES.has(word(k))) {
    k++;
    while (DEGREE.has(word(k))) k++;
    if (FALSITY.has(word(k))) return k === t.length - 1 ? at('refute', first, k) : undefined;
    if (word(k) !== 'not' && word(k) !== 'never') return undefined;
    k++;
  } else return undefined;
  const denied = k - 1;
  k += truthAt(words, k, ANSWER_ENDS);
  return k === t.length ? at('negation', first, denied) : undefined;
}

/**
 * Plain speech verbs. A refuting word stands with one ("The photo has been shown to be fake,
 * experts said"); a negation or a withdrawal does not (FNC-1's "X will not …, sources said" is
 * often a report, and reading those lost on the claim split's dev part).
 */
const SAID: ReadonlySet<string> = new Set(['said', 'says', 'told']);
/** How far after a negation (tokens, same clause) the withdrawal it negates may stand ("has not yet been cancelled"). */
const NEGATED_WITHDRAWAL_REACH = 4;

/** The negation at token `i` negates a withdrawal or end ("not cancelled", "no plans to scrap", "not been called off"). */
function negatesWithdrawal(tokens: SentenceAnalysis['tokens'], i: number): boolean {
  const clause = (tokens[i] as SentenceAnalysis['tokens'][number]).clause;
  for (let j = i + 1; j <= i + NEGATED_WITHDRAWAL_REACH && j < tokens.length; j++) {
    const t = tokens[j] as SentenceAnalysis['tokens'][number];
    if (t.clause !== clause) return false;
    if (isWithdrawal(t.word, t.stem, tokens[j + 1]?.word)) return true;
  }
  return false;
}

/**
 * The own-voice contradiction in sentence `s` of the body, for a claim of content stems `stems`;
 * when the claim itself `reverses` something, only a refutation or a negation of a withdrawal.
 */
function sentenceContradiction(
  stems: ReadonlySet<string>,
  body: BodyFeatures,
  s: number,
  reverses: boolean,
): Contradiction | undefined {
  const info = body.info[s];
  if (!info) return undefined;
  const an = analysisOf(info as SentenceInfo);
  if (an.question) return undefined;
  const sc = scopeSentence(an, stems, EXPLAIN_SCOPE_RULES);
  if (sc.quotesClaim) return undefined;
  const words = an.tokens.map((t) => t.word);
  // "is not true", "is not the case": a verdict of falsity, read as a refuting word.
  const kindOf = (c: ScopedCue): ScopedCue['kind'] =>
    c.kind === 'negation' && deniesTruth(words, c.token) ? 'refute' : c.kind;
  // "denied reports that …", "dismissed claims that …": the report is what is refuted, not a hedge.
  const refutes = sc.cues.some((c) => c.voice === 'body' && c.anchor === 'claim' && kindOf(c) === 'refute');
  let found: ScopedCue | undefined;
  // "…, the palace said": a plain speech verb; only a refutation may stand with it.
  let spoken = false;
  for (const c of sc.cues) {
    if (c.voice !== 'body') continue;
    if (c.kind === 'hedge' && SAID.has(c.word)) {
      spoken = true;
      continue;
    }
    if (c.kind === 'hedge' && !(refutes && REPORT_NOUNS.has(c.word))) return undefined;
    if (found || c.anchor !== 'claim') continue;
    if (boundElsewhere(an.tokens, c.token)) continue;
    if (
      kindOf(c) === 'refute' ||
      (c.kind === 'reversal' && !reverses && !CLAIM_DEPENDENT_REVERSALS.has(c.word)) ||
      (c.kind === 'negation' &&
        !idiomaticNegation(words, c.token) &&
        (!reverses || negatesWithdrawal(an.tokens, c.token)))
    )
      found = c;
  }
  const at = (kind: Contradiction['kind'], start: number, end: number): Contradiction =>
    contradictionAt(info, s, kind, start, end);
  const foundKind = found && kindOf(found);
  if (spoken && foundKind !== 'refute') return undefined;
  if (found) return at(foundKind as Contradiction['kind'], found.start, found.end);
  if (reverses) return undefined;
  // A withdrawal word of MORE_REVERSALS outside quotations and reports, in a clause with claim words.
  const claimClauses = new Set<number>();
  for (const t of an.tokens) if (stems.has(t.stem)) claimClauses.add(t.clause);
  const reportedFrom = an.reported.reduce((m, r) => Math.min(m, r.first), an.tokens.length);
  for (let i = 0; i < reportedFrom; i++) {
    const t = an.tokens[i];
    if (!t || t.quote >= 0 || !claimClauses.has(t.clause)) continue;
    if (boundElsewhere(an.tokens, i)) continue;
    if (MORE_REVERSALS.has(t.word)) return at('reversal', t.start, t.end);
    // "called off"
    const next = an.tokens[i + 1];
    if (t.word === 'called' && next?.word === 'off' && next.clause === t.clause)
      return at('reversal', t.start, next.end);
  }
  return undefined;
}

const DISAGREE = LABELS.indexOf('disagree');

/**
 * What the checker does where the rule holds: multiplies the disagree odds of probabilities `p`
 * (LABELS order, summing to 1) by e^boost and, if another label is still more probable, lifts
 * disagree just above it, so the label is disagree at about even odds with the model's own reading
 * (on the claim split's dev part the rule is right on 36 of the 56 pairs where it holds). In place.
 */
export function decideDisagree(p: Float64Array, boost: number = CONTRADICTION_BOOST): Float64Array {
  boostDisagree(p, boost);
  return liftAbove(p, DISAGREE);
}

/** Multiplies the disagree odds of probabilities `p` (LABELS order, summing to 1) by e^boost, in place. */
export function boostDisagree(p: Float64Array, boost: number = CONTRADICTION_BOOST): Float64Array {
  return boostOdds(p, DISAGREE, boost);
}

/**
 * Cue scoping: which cue words of a body sentence bear on a claim.
 *
 * A refuting, negating, hedging or confirming word only says something about the claim when it
 * stands in the clause that carries the claim's words (or in a bare clause right next to it, or
 * in a clause that refers back to "the story", "the claim", "it"), and when it is not part of a
 * name ("False Creek", "Fake News Awards") or of a phrase about something else ("the satirical
 * magazine Charlie Hebdo", "a fake nipple", "six boys without any girls", "denied bail",
 * "not only"), and when it is not one of the claim's own words ("withdrawn" under "Cereal withdrawn"). Quotations of the claim ("Claim: …", a quoted headline) are told apart from the
 * body's own voice and from quoted speech of other people.
 *
 * Two steps, so the claim-independent part is done once per body sentence:
 *   analyzeSentence(text)             → tokens with UTF-16 offsets, clauses, quotes, cue candidates
 *   scopeSentence(analysis, claimSet) → the cues that bear on that claim, with their voice
 * Pure; linear in the sentence length.
 */
import { stem, isStopword, wordToken } from '../text/tokenize.js';
import { HEDGE, NEGATION, REFUTE, REVERSAL, SUPPORT } from './lexicons.js';

/** Kinds of cue a word can carry. */
export type CueKind = 'refute' | 'negation' | 'hedge' | 'support' | 'reversal';
export const CUE_KINDS: readonly CueKind[] = ['refute', 'negation', 'hedge', 'support', 'reversal'];

/** One word token of a sentence. */
export interface ScopeToken {
  /** Lower-cased word as `tokenize` gives it ("didn't" → "didnt", "'s" dropped). */
  word: string;
  stem: string;
  /** UTF-16 offsets of the word in the sentence text (end exclusive). */
  start: number;
  end: number;
  /** Index of the clause the token is in. */
  clause: number;
  /** Index of the quotation (in `quotes`) the token is in, or -1. */
  quote: number;
}

/** A cue word that survived the name and phrase filters. */
export interface CueCandidate {
  kind: CueKind;
  /** Index into `tokens`. */
  token: number;
  /** For hedges: an attribution ("said", "according", "claims", "reports") rather than doubt ("may", "allegedly"). */
  attribution: boolean;
}

/** The claim-independent analysis of one sentence. */
export interface SentenceAnalysis {
  text: string;
  tokens: ScopeToken[];
  clauseCount: number;
  /** Quotations as token ranges [first, last] (inclusive). */
  quotes: { first: number; last: number }[];
  /** Cue words, names and unrelated phrases already removed. */
  cues: CueCandidate[];
  /** Per clause: it refers to a claim without naming it ("the story", "the report", "this", "it"). */
  refers: boolean[];
  /** Per clause: it has no content word of its own besides cues and references (e.g. "is a hoax"). */
  bare: boolean[];
  /** Distinct stems of the tokens that are not stop words, in order of first appearance. */
  contentStems: string[];
  /** Indexes (into `tokens`) of the tokens that are not stop words, in order. */
  contentTokens: number[];
  /** The sentence is a question. */
  question: boolean;
  /** The sentence presents a claim as such ("Claim: …", "Rumor: …", "Headline: …"). */
  claimLabel: boolean;
  /**
   * Where a claim carrier reports something: "Posts say …", "reports claimed …" ('verb': the
   * report runs on to the end of its clauses) or "reports that …", "a video showing …" ('that':
   * the report is a noun phrase, followed by what the body says of it: "… are untrue").
   * `first` is the first token of what is reported.
   */
  reported: { first: number; form: 'verb' | 'that' }[];
}

/** Where a bearing cue speaks from. */
export type Voice = 'body' | 'quote' | 'claim';

/** A cue that bears on the claim. */
export interface ScopedCue extends CueCandidate {
  word: string;
  start: number;
  end: number;
  /** 'body': the article's own voice; 'quote': quoted speech of someone; 'claim': inside a quotation of the claim. */
  voice: Voice;
  /** 'claim': its clause (or the bare clause's neighbour) has claim words; 'reference': it refers to "the story"/"it". */
  anchor: 'claim' | 'reference';
}

/** The result of scoping one sentence against one claim. */
export interface ScopedSentence {
  /** Distinct claim stems present in the sentence. */
  matched: number;
  /** Bearing cues, in text order. */
  cues: ScopedCue[];
  /** Bearing cues per kind, body voice or quoted speech (quotations of the claim excluded). */
  counts: Record<CueKind, number>;
  /** Bearing cues per kind inside quotations of the claim (the claim's own words). */
  claimVoice: Record<CueKind, number>;
  /** The sentence quotes or labels the claim rather than speaking in its own voice. */
  quotesClaim: boolean;
  /** The sentence has any hedge or attribution at all, or is a question (not "stated as fact"). */
  hedged: boolean;
}

const set = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

/** Nouns through which a body talks about a claim: "the story is false", "fake news", "bogus reports". */
const CARRIERS = set(`
  story stories report reports claim claims news rumor rumors rumour rumours photo photos image images
  picture pictures video videos footage article articles headline headlines tweet tweets post posts
  quote quotes site website websites account accounts alarm allegation allegations account letter
  document documents statement statements announcement reporting information info hoax`);
/** Words that refer back to a claim named elsewhere. */
const REFERRERS = set(
  `it this that these those claim claims story stories report reports rumor rumors rumour rumours news`,
);
/** Adjectives that describe a thing (attributive) and only refute when that thing is the claim. */
const ATTRIBUTIVE = set(`
  fake false bogus fraudulent satirical fictional doctored photoshopped misleading erroneous incorrect
  baseless unfounded mistaken spoof parody satire fabricated untrue wrong scam disputed prank hoax`);
/** Attribution (someone says so) as opposed to doubt. */
const ATTRIBUTION = set(`
  said says say told tells according claim claims claimed claiming report reports reported source sources
  insists insisted asserted alleges allege`);
/** Words that carry no topic of their own in a clause like "is totally false". */
const NEUTRAL = set(`
  completely totally entirely utterly absolutely simply just actually really clearly obviously
  indeed also now still yet already even quite rather purely wholly merely largely certainly
  hoax fake false lie lies`);
/** "lie(s) in/on/at…" is about location. */
const LOCATION_PREPS = set(`in on at near between ahead beneath within along across off behind under`);
/** "denied bail", "denied entry": a refusal, not a denial of a claim. */
const DENIED_THINGS = set(
  `bail entry access visa visas permission asylum service boarding parole treatment admission request requests application applications`,
);
/** Words after "without" that make it bear (without evidence, without proof). */
const WITHOUT_BEARS = set(`evidence proof confirmation basis foundation substantiation`);
/** Kinds of fiction that are genres, not verdicts. */
const GENRES = set(`science crime fan flash literary historical speculative`);
/** Negations followed by these do not negate ("not only", "no doubt", "no matter", "never before"). */
const NOT_NEGATING_NEXT = set(`only just merely least doubt matter wonder sooner before`);
/** After a claim carrier ("posts say", "reports claimed"), a verb whose object is the report. */
const REPORTING_VERBS = set(`
  say says said claim claimed allege alleges alleged suggest suggests suggested show shows showed
  state states stated insist insisted`);
/** After a claim carrier, words that make what follows a noun phrase ("reports that …", "a video showing …"). */
const REPORTING_THAT = set(`that showing claiming saying suggesting alleging stating`);
/** Clause words that turn from a report to the body's own view ("…, but …"). */
const CONTRAST = set(`but however although though yet whereas while whilst`);
/** Words that open a concessive clause ("Despite posts claiming …, no such ban exists"): the main clause after it is the body's own. */
const CONCESSIVE = set(`despite although though while whilst whereas notwithstanding`);
/** Words that turn the next refute word into a name part when capitalised mid-sentence. */
const CLAIM_LABEL =
  /^\s*[-*•]?\s*(?:claim|rumou?r|headline|the claim|the rumou?r|viral claim|what was claimed)\s*:/i;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const UPPER = /^\p{Lu}/u;
const ALL_CAPS = /^[\p{Lu}\p{N}]+$/u;
/** Conjunctions that start a clause. */
const CLAUSE_WORDS = set(
  `but while although though whereas however which who yet because since unless whilst`,
);

const NO_KINDS: readonly CueKind[] = [];
const HEDGE_ONLY: readonly CueKind[] = ['hedge'];

function kindsOf(word: string): readonly CueKind[] {
  if (
    !REFUTE.has(word) &&
    !NEGATION.has(word) &&
    !HEDGE.has(word) &&
    !SUPPORT.has(word) &&
    !REVERSAL.has(word) &&
    !word.startsWith('rumo')
  )
    return NO_KINDS;
  const out: CueKind[] = [];
  // "rumor" says a claim is unconfirmed, not that it is false.
  if (word === 'rumor' || word === 'rumour' || word === 'rumors' || word === 'rumours') return HEDGE_ONLY;
  if (REFUTE.has(word)) out.push('refute');
  if (NEGATION.has(word)) out.push('negation');
  if (HEDGE.has(word)) out.push('hedge');
  if (SUPPORT.has(word)) out.push('support');
  if (REVERSAL.has(word)) out.push('reversal');
  return out;
}

/** Quotation spans of `text` as UTF-16 ranges: between paired double quotes, and 'single' quotes at word boundaries. */
function quoteRanges(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== 34) continue;
    if (open < 0) open = i;
    else {
      out.push({ start: open, end: i });
      open = -1;
    }
  }
  if (open >= 0) out.push({ start: open, end: text.length });
  // 'single quoted phrases' (headline style), not apostrophes: ' after start/space/punct, closing ' before space/punct/end.
  if (out.length === 0) {
    const re = /(^|[\s(:,])'([^']{2,}?)'(?=$|[\s.,;:!?)])/g;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const start = m.index + (m[1]?.length ?? 0);
      out.push({ start, end: start + (m[2]?.length ?? 0) + 1 });
    }
  }
  return out;
}

/** Does the gap text[from, to) between two tokens hold a clause boundary (, ; : ( ) [ ] . ! ? " - ")? */
function breaksClause(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    // , ; : ( ) [ ] . ! ?
    if (
      ch === 44 ||
      ch === 59 ||
      ch === 58 ||
      ch === 40 ||
      ch === 41 ||
      ch === 91 ||
      ch === 93 ||
      ch === 46 ||
      ch === 33 ||
      ch === 63
    )
      return true;
    // " - " and "--"
    if (
      ch === 45 &&
      ((i > from && i + 1 < to && text.charCodeAt(i - 1) === 32 && text.charCodeAt(i + 1) === 32) ||
        (i + 1 < to && text.charCodeAt(i + 1) === 45))
    )
      return true;
  }
  return false;
}

/** The claim-independent analysis of a sentence (done once per body sentence). */
export function analyzeSentence(text: string): SentenceAnalysis {
  const qs = quoteRanges(text);
  const tokens: ScopeToken[] = [];
  const surface: string[] = [];
  let clause = 0;
  let q = 0;
  let prevEnd = 0;
  // Every word (`words`, `capitalised`: for the title-case test), and the tokens of those that make one.
  let words = 0;
  let capitalised = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const raw = m[0];
    const start = m.index;
    const end = start + raw.length;
    words++;
    const c = raw.charCodeAt(0);
    if (c < 128 ? c >= 65 && c <= 90 : UPPER.test(raw)) capitalised++;
    const lower = raw.toLowerCase();
    const w = wordToken(lower.includes('’') ? lower.replace(/’/g, "'") : lower);
    if (w.length === 0) continue;
    if (tokens.length > 0 && (breaksClause(text, prevEnd, start) || CLAUSE_WORDS.has(w))) clause++;
    while (q < qs.length && (qs[q] as { end: number }).end < start) q++;
    const inQuote = q < qs.length && (qs[q] as { start: number }).start < start ? q : -1;
    tokens.push({ word: w, stem: stem(w), start, end, clause, quote: inQuote });
    surface.push(raw);
    prevEnd = end;
  }
  // Token ranges of the quotes.
  const quotes: { first: number; last: number }[] = qs.map(() => ({ first: -1, last: -1 }));
  tokens.forEach((t, i) => {
    if (t.quote < 0) return;
    const range = quotes[t.quote] as { first: number; last: number };
    if (range.first < 0) range.first = i;
    range.last = i;
  });
  const clauseCount = tokens.length > 0 ? clause + 1 : 0;
  const capsShare = words > 0 ? capitalised / words : 0;
  const titleCase = words >= 3 && capsShare > 0.6;
  const isName = (i: number): boolean => {
    const s = surface[i] as string;
    if (i === 0 || titleCase || !UPPER.test(s) || (ALL_CAPS.test(s) && s.length > 1)) return false;
    // Capitalised after a colon, an opening quote or a dash starts a new sentence-like unit.
    const before = text.slice((tokens[i - 1] as ScopeToken).end, (tokens[i] as ScopeToken).start);
    return !/[:"'(]|\s-\s/.test(before);
  };

  const cues: CueCandidate[] = [];
  tokens.forEach((t, i) => {
    const kinds = kindsOf(t.word);
    if (kinds.length === 0) return;
    if (isName(i)) return; // "False Creek", "the May issue"
    const next = tokens[i + 1];
    const nextSameClause = next && next.clause === t.clause ? next : undefined;
    const prev = i > 0 ? (tokens[i - 1] as ScopeToken) : undefined;
    for (const kind of kinds) {
      if (kind === 'refute') {
        if (
          (t.word === 'lie' || t.word === 'lies' || t.word === 'lying') &&
          nextSameClause &&
          LOCATION_PREPS.has(nextSameClause.word)
        )
          continue;
        if (
          (t.word === 'denied' || t.word === 'deny' || t.word === 'denies') &&
          nextSameClause &&
          DENIED_THINGS.has(nextSameClause.word)
        )
          continue;
        if (t.word.startsWith('fiction') && prev && GENRES.has(prev.word)) continue;
        if (t.word === 'dismissed' && nextSameClause && nextSameClause.word === 'from') continue;
      }
      if (kind === 'negation') {
        if (nextSameClause && NOT_NEGATING_NEXT.has(nextSameClause.word)) continue;
        if (t.word === 'none' && nextSameClause?.word === 'other') continue;
      }
      if (kind === 'support') {
        // "no evidence", "not confirmed", "never proved": a negated confirmation is not support.
        let negated = false;
        for (let k = Math.max(0, i - 3); k < i; k++)
          if (NEGATION.has((tokens[k] as ScopeToken).word) && (tokens[k] as ScopeToken).clause === t.clause)
            negated = true;
        if (negated) continue;
        // "an official said" is a person; only "officially", "it is official" confirm.
        if (t.word === 'official' && !(prev && /^(is|was|now|made|became|its|it)$/.test(prev.word))) continue;
      }
      if (kind === 'hedge' && t.word === 'may' && UPPER.test(surface[i] as string) && i > 0) continue;
      cues.push({ kind, token: i, attribution: kind === 'hedge' && ATTRIBUTION.has(t.word) });
    }
  });

  const refers = new Array<boolean>(clauseCount).fill(false);
  const bare = new Array<boolean>(clauseCount).fill(true);
  const cueTokens = new Set(cues.map((c) => c.token));
  tokens.forEach((t, i) => {
    if (REFERRERS.has(t.word) || CARRIERS.has(t.word)) refers[t.clause] = true;
    if (
      !isStopword(t.word) &&
      !cueTokens.has(i) &&
      !NEUTRAL.has(t.word) &&
      !REFERRERS.has(t.word) &&
      !CARRIERS.has(t.word) &&
      !NEGATION.has(t.word)
    )
      bare[t.clause] = false;
  });
  // Claim carriers that report something: "Posts on social media say …", "Reports that …".
  const reported: { first: number; form: 'verb' | 'that' }[] = [];
  tokens.forEach((t, i) => {
    if (!CARRIERS.has(t.word) || isName(i)) return;
    for (let k = i + 1; k < Math.min(tokens.length, i + 5); k++) {
      const next = tokens[k] as ScopeToken;
      if (next.clause !== t.clause) break;
      if (REPORTING_THAT.has(next.word) && k <= i + 2) {
        reported.push({ first: k + 1, form: 'that' });
        break;
      }
      if (REPORTING_VERBS.has(next.word)) {
        reported.push({ first: k + 1, form: 'verb' });
        break;
      }
    }
  });
  const contentTokens: number[] = [];
  const contentStemSet = new Set<string>();
  tokens.forEach((t, i) => {
    if (isStopword(t.word)) return;
    contentTokens.push(i);
    contentStemSet.add(t.stem);
  });
  return {
    text,
    tokens,
    clauseCount,
    quotes,
    cues,
    refers,
    bare,
    contentStems: [...contentStemSet],
    contentTokens,
    question: text.includes('?'),
    claimLabel: CLAIM_LABEL.test(text),
    reported: reported.filter((r) => r.first < tokens.length),
  };
}

/** Words after "dispute(s)" that make it a noun of conflict ("a dispute over pay", "the dispute has …"). */
const CONFLICT_NOUN_NEXT = new Set(
  `over with between about on of in has had have is was were are continues continued`.split(' '),
);
/** Words before a refuting word that make it a noun ("a dispute", "their dispute"). */
const DETERMINER = new Set(`a an the this that its their his her our any`.split(' '));
/** Words after "dismissed" that make it a refutation ("dismissed the report", "dismissed as nonsense"). */
const DISMISSED_OBJECT = new Set(
  `as the reports report claims claim suggestions suggestion rumours rumors rumour rumor speculation allegations allegation it this that such any those these them`.split(
    ' ',
  ),
);
/** Words around "fraud" or "scam" that make it a crime the story is about ("jailed for fraud", "fraud charges"). */
const CRIME_BEFORE = new Set(
  `of for with admitted admits committed committing tax benefit benefits insurance bank mortgage investment romance phone text online serious alleged suspected`.split(
    ' ',
  ),
);
const CRIME_AFTER = new Set(
  `charges charge offences offence investigation inquiry squad case cases trial victims`.split(' '),
);
/** Refuting adjectives that also describe forged things ("sold fake tickets", "using a false passport"). */
const FORGED = new Set(`fake false bogus fraudulent`.split(' '));
/** Words before such an adjective that make its noun a forged thing the story is about. */
const DEALT_IN = new Set(
  `sold selling sell sells made making used using use uses carrying carried bought buying printed printing produced producing supplied supplying possessing possession of with under`.split(
    ' ',
  ),
);

/**
 * A refuting word that is not said of the claim but names something the story is about: a
 * conflict ("a long-running dispute over pay"), a person or case dismissed ("has been dismissed
 * after …"), a crime ("admitted fraud", "a phone scam"), a forged thing dealt in ("sold fake
 * tickets", "with a false passport"). FNC-1's refutations are verbs and
 * verdicts ("disputes the figures", "dismissed the reports", "the video is a hoax").
 */
export function refutingWordNamesSomethingElse(tokens: readonly { word: string }[], i: number): boolean {
  const w = tokens[i]?.word;
  const prev = tokens[i - 1]?.word;
  const next = tokens[i + 1]?.word;
  if (w === 'dispute' || w === 'disputes')
    return next === undefined || CONFLICT_NOUN_NEXT.has(next) || (prev !== undefined && DETERMINER.has(prev));
  if (w === 'dismissed' || w === 'dismiss' || w === 'dismisses')
    return next === undefined || !DISMISSED_OBJECT.has(next);
  if (w === 'fraud' || w === 'scam' || w === 'scams')
    return (prev !== undefined && CRIME_BEFORE.has(prev)) || (next !== undefined && CRIME_AFTER.has(next));
  if (w !== undefined && FORGED.has(w) && next !== undefined && !isStopword(next)) {
    const before = prev === 'a' || prev === 'an' ? tokens[i - 2]?.word : prev;
    return before !== undefined && DEALT_IN.has(before);
  }
  return false;
}

/**
 * An attributive refuting adjective ("fake nipple", "satirical magazine Charlie Hebdo") bears only
 * when the thing it describes is the claim or a claim carrier ("fake photo", "bogus reports").
 */
function attributiveBears(a: SentenceAnalysis, i: number, claimStems: ReadonlySet<string>): boolean {
  const t = a.tokens[i] as ScopeToken;
  if (!ATTRIBUTIVE.has(t.word)) return true;
  const next = a.tokens[i + 1];
  if (!next || next.clause !== t.clause || isStopword(next.word) || NEGATION.has(next.word)) return true; // predicative: "is fake", "a hoax."
  if (kindsOf(next.word).length > 0 && next.word !== 'news') return true; // "fake hoax", "false claims" handled below
  const headSurface = a.text.slice(next.start, next.end);
  // Describes a name ("the satirical Charlie Hebdo") or a noun followed by a name (appositive).
  if (UPPER.test(headSurface) && !(ALL_CAPS.test(headSurface) && headSurface.length > 1)) return false;
  const after = a.tokens[i + 2];
  if (
    after &&
    after.clause === t.clause &&
    UPPER.test(a.text.slice(after.start, after.end)) &&
    !CARRIERS.has(next.word)
  )
    return false;
  return CARRIERS.has(next.word) || claimStems.has(next.stem);
}

/** "without" bears only on evidence or on the claim's own words ("without any evidence"), not "six boys without any girls". */
function withoutBears(a: SentenceAnalysis, i: number, claimStems: ReadonlySet<string>): boolean {
  const t = a.tokens[i] as ScopeToken;
  for (let k = i + 1; k < Math.min(a.tokens.length, i + 4); k++) {
    const n = a.tokens[k] as ScopeToken;
    if (n.clause !== t.clause) break;
    if (WITHOUT_BEARS.has(n.word) || claimStems.has(n.stem)) return true;
  }
  return false;
}

/**
 * The token ranges in which a claim carrier reports the claim itself (at least `need` of its
 * words): "Posts say [a cereal was withdrawn because glass was found in it]", "Reports that [the
 * star was arrested with a fake passport] are untrue". A verb's report runs to the end of the
 * last clause with the claim's words, stopping at a contrast ("…, but …"), or ends with its own
 * clause when that clause is concessive ("Despite posts claiming [the city banned cars], no such
 * ban exists"); a noun phrase's report ends at the claim's last word, so what the body then says
 * of it stays the body's own voice.
 */
function reportedSpans(
  a: SentenceAnalysis,
  claimStems: ReadonlySet<string>,
  need: number,
): { first: number; last: number }[] {
  const out: { first: number; last: number }[] = [];
  for (const r of a.reported) {
    const startClause = (a.tokens[r.first] as ScopeToken).clause;
    let concessive = false;
    for (let k = r.first - 1; k >= 0 && (a.tokens[k] as ScopeToken).clause === startClause; k--)
      if (CONCESSIVE.has((a.tokens[k] as ScopeToken).word)) concessive = true;
    let lastClaim = -1;
    const seen = new Set<string>();
    for (let k = r.first; k < a.tokens.length; k++) {
      const t = a.tokens[k] as ScopeToken;
      if (concessive && t.clause !== startClause) break;
      if (t.clause !== startClause && a.tokens[k - 1]?.clause !== t.clause && CONTRAST.has(t.word)) break;
      if (!isStopword(t.word) && claimStems.has(t.stem)) {
        seen.add(t.stem);
        lastClaim = k;
      }
    }
    if (lastClaim < 0 || seen.size < need) continue;
    let last = lastClaim;
    if (r.form === 'verb') {
      const clause = (a.tokens[lastClaim] as ScopeToken).clause;
      while (last + 1 < a.tokens.length && (a.tokens[last + 1] as ScopeToken).clause === clause) last++;
    }
    out.push({ first: r.first, last });
  }
  return out;
}

/** Scoping rules added after the shipped model was trained; each can be switched on or off. */
export interface ScopeRules {
  /** A cue word that is one of the claim's own words ("withdrawn" under "Cereal withdrawn…") is not a cue. */
  claimWordsAreNotCues: boolean;
  /** Cues inside a claim that a carrier reports ("Posts say …", "reports that …") speak in the claim's voice. */
  reportedClaimVoice: boolean;
  /** "turned" reverses only as "turned down", "turned away" or "turned back", not in "it turned out that …" or "turned himself in". */
  turnedAsPhrase: boolean;
  /**
   * A refuting word that names what the story is about is not a cue: a conflict ("a dispute over
   * pay"), a person dismissed from a job, a crime ("admitted fraud"), a forged thing dealt in ("sold
   * fake tickets"); see {@link refutingWordNamesSomethingElse}.
   */
  namedThingsAreNotRefutations: boolean;
}

/**
 * The rules the model's features use: those the shipped model (v2, and every model since) was
 * trained with. The later rules were measured with the features (docs/MODEL.md, "Model v3 trials")
 * and did not earn a new model yet, or (namedThingsAreNotRefutations, rules c3) were written for
 * explanations and the rules after the model; switch them on here together with the next trained
 * model.
 */
export const FEATURE_SCOPE_RULES: ScopeRules = {
  claimWordsAreNotCues: false,
  reportedClaimVoice: false,
  turnedAsPhrase: false,
  namedThingsAreNotRefutations: false,
};

/** The rules explanations use (evidence ranking and reasons): all of them. */
export const EXPLAIN_SCOPE_RULES: ScopeRules = {
  claimWordsAreNotCues: true,
  reportedClaimVoice: true,
  turnedAsPhrase: true,
  namedThingsAreNotRefutations: true,
};

/** What follows "turned" when it reverses something ({@link ScopeRules.turnedAsPhrase}). */
const TURNED_REVERSES = set(`down away back`);

const zero = (): Record<CueKind, number> => ({ refute: 0, negation: 0, hedge: 0, support: 0, reversal: 0 });

/**
 * The cues of an analysed sentence that bear on a claim (given as its set of content stems, as
 * `ClaimFeatures.stems`). Linear in the sentence length.
 */
export function scopeSentence(
  a: SentenceAnalysis,
  claimStems: ReadonlySet<string>,
  rules: ScopeRules = FEATURE_SCOPE_RULES,
): ScopedSentence {
  // Distinct claim stems among the content words.
  let matched = 0;
  for (const st of a.contentStems) if (claimStems.has(st)) matched++;
  // Most sentences have no cue word and no quotation: nothing else applies to them.
  if (a.cues.length === 0 && a.quotes.length === 0)
    return {
      matched,
      cues: [],
      counts: zero(),
      claimVoice: zero(),
      quotesClaim: a.claimLabel,
      hedged: a.question,
    };
  const n = a.clauseCount;
  const claimIn = new Array<number>(n).fill(0);
  const quoteHits = new Array<number>(a.quotes.length).fill(0);
  const quoteSeen: Set<string>[] = a.quotes.map(() => new Set<string>());
  for (const i of a.contentTokens) {
    const t = a.tokens[i] as ScopeToken;
    if (!claimStems.has(t.stem)) continue;
    claimIn[t.clause] = (claimIn[t.clause] as number) + 1;
    if (t.quote >= 0 && !(quoteSeen[t.quote] as Set<string>).has(t.stem)) {
      (quoteSeen[t.quote] as Set<string>).add(t.stem);
      quoteHits[t.quote] = (quoteHits[t.quote] as number) + 1;
    }
  }
  const need = Math.max(2, Math.ceil(0.4 * claimStems.size));
  const claimQuote = quoteHits.map((h) => h >= need);
  // Most sentences have no cue word: nothing below but the last line applies to them.
  if (a.cues.length === 0)
    return {
      matched,
      cues: [],
      counts: zero(),
      claimVoice: zero(),
      quotesClaim: a.claimLabel || claimQuote.some(Boolean),
      hedged: a.question,
    };
  const reportedClaim = rules.reportedClaimVoice ? reportedSpans(a, claimStems, need) : [];
  const anchorOf = (c: number): 'claim' | 'reference' | undefined => {
    if ((claimIn[c] as number) > 0) return 'claim';
    if (a.bare[c]) {
      // A bare clause ("is a hoax", "FALSE") predicates on its neighbours.
      for (const d of [c - 1, c + 1, c - 2, c + 2]) {
        if (d < 0 || d >= n) continue;
        if ((claimIn[d] as number) > 0) return 'claim';
      }
      for (const d of [c - 1, c + 1]) if (d >= 0 && d < n && a.refers[d]) return 'reference';
    }
    if (a.refers[c]) return 'reference';
    // A sentence that is nothing but a verdict ("FALSE.", "Not true.") refers to what came before.
    if (a.tokens.length <= 4) return 'reference';
    return undefined;
  };
  // Anchors of the clauses that hold a cue, each worked out once.
  const anchors = new Array<'claim' | 'reference' | null | undefined>(n);
  const cues: ScopedCue[] = [];
  const counts = zero();
  const claimVoice = zero();
  let hedged = a.question;
  for (const cand of a.cues) {
    const t = a.tokens[cand.token] as ScopeToken;
    if (cand.kind === 'hedge') hedged = true;
    // The claim's own word ("withdrawn" under "Cereal withdrawn over glass", "denies" under "Minister
    // denies …") repeats the claim rather than taking a stance on it. Negations are kept: a negated
    // claim is echoed by a negated sentence, which the stance scores read from the negation itself.
    if (rules.claimWordsAreNotCues && cand.kind !== 'negation' && claimStems.has(t.stem)) continue;
    if (
      rules.turnedAsPhrase &&
      t.word === 'turned' &&
      !TURNED_REVERSES.has(a.tokens[cand.token + 1]?.word ?? '')
    )
      continue;
    if (cand.kind === 'refute' && !attributiveBears(a, cand.token, claimStems)) continue;
    if (
      rules.namedThingsAreNotRefutations &&
      cand.kind === 'refute' &&
      refutingWordNamesSomethingElse(a.tokens, cand.token)
    )
      continue;
    if (cand.kind === 'negation' && t.word === 'without' && !withoutBears(a, cand.token, claimStems))
      continue;
    let anchor = anchors[t.clause];
    if (anchor === undefined) anchor = anchors[t.clause] = anchorOf(t.clause) ?? null;
    if (!anchor) continue;
    const voice: Voice =
      a.claimLabel ||
      (t.quote >= 0 && claimQuote[t.quote]) ||
      reportedClaim.some((r) => cand.token >= r.first && cand.token <= r.last)
        ? 'claim'
        : t.quote >= 0
          ? 'quote'
          : 'body';
    // Written out rather than spread from `cand` (the same fields in the same order): a spread
    // object literal is several times slower to build.
    cues.push({
      kind: cand.kind,
      token: cand.token,
      attribution: cand.attribution,
      word: t.word,
      start: t.start,
      end: t.end,
      voice,
      anchor,
    });
    if (voice === 'claim') claimVoice[cand.kind]++;
    else counts[cand.kind]++;
  }
  // A reported claim ("reports that …") changes the voice of the cues inside it only: the sentence
  // around it usually says something of its own about the report ("… are untrue", "denied …").
  const quotesClaim = a.claimLabel || claimQuote.some(Boolean);
  return { matched, cues, counts, claimVoice, quotesClaim, hedged };
}

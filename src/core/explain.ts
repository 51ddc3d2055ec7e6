/**
 * Explanations: the evidence sentences for a verdict's label and the one-line reason, both built
 * from the same per-sentence facts (alignment with the claim, scoped cue words), so the reason
 * never says something its evidence contradicts.
 *
 * - disagree: sentences whose own voice refutes, negates or reverses the claim come first; a
 *   sentence that only repeats the claim ("Claim: …") ranks low.
 * - agree: sentences that state the claim's words without hedging, refuting or questioning.
 * - discuss: sentences that attribute, hedge or question the claim.
 * - unrelated: the closest sentences; the reason says what the headline is about and what the
 *   body is about instead.
 * Pure.
 */
import type { Label } from './labels.js';
import type { BodyFeatures, ClaimFeatures, SentenceInfo } from './features/extract.js';
import { analysisOf, dot, topIndexes } from './features/extract.js';
import {
  EXPLAIN_SCOPE_RULES,
  scopeSentence,
  type ScopedCue,
  type ScopedSentence,
  type ScopeToken,
} from './features/scope.js';
import { HEDGE } from './features/lexicons.js';
import {
  claimPolarity,
  EXPLAIN_STANCE_RULES,
  scoreScoped,
  type ClaimPolarity,
  type SentenceStance,
} from './features/sentence-stance.js';
import { isStopword } from './text/tokenize.js';
import type { Cue, Evidence, EvidenceSpan } from './verdict.js';
import type { Contradiction } from './features/contradiction.js';
import type { AbsentNames } from './features/absent-names.js';
import type { SharedNameOnly } from './features/shared-name.js';

/** Which claim an explanation is for, as said to people. */
export type ClaimRole = 'headline' | 'subtitle';

/** Everything an explanation is built from. */
export interface ExplainInput {
  label: Label;
  /** Calibrated probability of `label`. */
  confidence: number;
  claim: ClaimFeatures;
  body: BodyFeatures;
  /** Per-sentence alignment with the claim (from pairFeatures). */
  alignment: Float64Array;
  role: ClaimRole;
  /** How many evidence sentences to list (0 = none; the reason is still given). */
  limit: number;
  /** IDF of a stem (the model's vocabulary), for the body's salient terms. */
  idf: (stem: string) => number;
  /**
   * Where the body contradicts a plain claim in its own voice (the rule of
   * features/contradiction.ts), when it does: that sentence is shown and named in the reason.
   */
  contradiction?: Contradiction;
  /** The label the model alone gave, when the contradiction rule turned it to disagree: the reason says so. */
  overruled?: Label;
  /**
   * The label the model alone gave, when the own-voice statement rule (features/statement.ts)
   * turned it to agree: the reason says so.
   */
  stated?: Label;
  /**
   * Where the shared-name rule (features/shared-name.ts) made the label unrelated: the one name the
   * body shares with the claim; with `overruled`, the reason says the rule turned the label.
   */
  sharedName?: SharedNameOnly;
  /**
   * Where the absent-names rule (features/absent-names.ts) made the label unrelated: the claim's
   * names the short body never writes; with `overruled`, the reason says the rule turned the label.
   */
  absentNames?: AbsentNames;
}

/** The facts about one sentence that both the evidence and the reason use. */
interface Facts {
  index: number;
  info: SentenceInfo;
  align: number;
  scoped: ScopedSentence;
  /** The sentence's stance scores toward the claim (sentence-stance.ts, as the model's features read them). */
  stance: SentenceStance;
  /** Strength of the sentence's own refutation of the claim, 0..1. */
  refute: number;
  /** Strength of its hedging / attribution / questioning, 0..1. */
  hedge: number;
  /** No hedge, attribution or question word anywhere in the sentence, and it does not quote the claim. */
  plain: boolean;
}

const REFUTING: ReadonlySet<Cue> = new Set<Cue>(['refute', 'negation', 'reversal']);
/** The refuting cues a discussing sentence may report (reversal words are too loose for that). */
const DISPUTING: ReadonlySet<Cue> = new Set<Cue>(['refute', 'negation']);

/**
 * How much the sentences around `i` carry the claim, for a cue that only refers to it ("It has
 * not.", "The story is a hoax"): mostly the sentence just before, which "it" and "the story"
 * usually point back to.
 */
function contextAlignment(alignment: ArrayLike<number>, i: number): number {
  const at = (k: number): number => (k >= 0 && k < alignment.length ? (alignment[k] as number) : 0);
  return Math.max(0.9 * at(i - 1), 0.6 * at(i - 2), 0.5 * at(i + 1), 0.3 * at(i + 2));
}

function factsOf(
  i: number,
  input: ExplainInput,
  claimSet: ReadonlySet<string>,
  near: number,
  polarity: ClaimPolarity,
): Facts {
  const info = input.body.info[i] as SentenceInfo;
  const a = analysisOf(info);
  const scoped = scopeSentence(a, claimSet, EXPLAIN_SCOPE_RULES);
  const align = input.alignment[i] as number;
  // A cue that only refers to the claim bears as much as the sentences it refers to carry the claim.
  const refers = scoped.cues.some((c) => c.voice !== 'claim' && c.anchor === 'reference');
  const bearing = refers ? Math.max(align, contextAlignment(input.alignment, i)) : align;
  const stance = scoreScoped(scoped, bearing, a.question, polarity);
  // A cue that only refers to the claim ("the story is false") counts when a sentence near it carries the claim.
  const refWeight = near >= 0.25 ? 0.8 : 0.35;
  let refute = 0;
  let hedge = a.question ? 0.8 : 0;
  for (const c of scoped.cues) {
    if (c.voice === 'claim') continue;
    const w = c.anchor === 'claim' ? 1 : refWeight;
    if (c.kind === 'refute') refute += w;
    // A negated claim ("X will not happen") is echoed, not refuted, by a negated or reversed sentence.
    else if (c.kind === 'negation' && !polarity.negated) refute += 0.7 * w;
    else if (c.kind === 'reversal' && !polarity.negated) refute += 0.35 * w;
    else if (c.kind === 'hedge') hedge += (c.attribution ? 0.6 : 1) * w;
  }
  if (scoped.quotesClaim) hedge += 0.5;
  const plain = !a.question && !scoped.quotesClaim && !info.tokens.some((t) => HEDGE.has(t));
  return {
    index: i,
    info,
    align,
    scoped,
    stance,
    // A denying claim is disputed by a sentence that states what it denies, not by refuting words.
    refute: polarity.denies ? stance.disagree : Math.min(1, refute),
    hedge: Math.min(1, hedge),
    plain,
  };
}

/**
 * How much a sentence carries `label` towards the claim, 0..1: the sentence's stance score for
 * that label (sentence-stance.ts, the scores the model reads as features), combined with its
 * alignment with the claim (so, among sentences that carry the label alike, the one that carries
 * more of the claim comes first). For disagree, a sentence that refutes comes before any that
 * does not, however many of the claim's words the latter repeats; for agree with a claim that denies
 * something, so does a sentence that denies it too (a plain statement of its words disputes it).
 */
function labelScore(label: Label, f: Facts, denies: boolean): number {
  const a = f.align;
  if (denies && label === 'agree')
    return f.stance.agree > 0 ? 0.5 + 0.5 * (0.7 * f.stance.agree + 0.3 * a) : 0.25 * a;
  switch (label) {
    case 'disagree':
      return f.stance.disagree > 0 ? 0.5 + 0.5 * (0.7 * f.stance.disagree + 0.3 * a) : 0.25 * a;
    case 'agree':
      // Alignment weighs as much as the plain-statement score: news attributes facts ("…, police said").
      return (f.stance.agree + 0.8 * a) / 1.8;
    case 'discuss':
      return (f.stance.discuss + 0.4 * a) / 1.4;
    case 'unrelated':
      return a;
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * The claim's content words that occur in a sentence, as spans. A number written with a point or a
 * comma ("4.6", "1,200") is one span when all its parts are the claim's, and none otherwise (the
 * "4" of "4.6" is not the claim's "4.2").
 */
function overlapSpans(f: Facts, claimSet: ReadonlySet<string>): EvidenceSpan[] {
  const out: EvidenceSpan[] = [];
  const tokens = analysisOf(f.info).tokens;
  const text = f.info.clean;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k] as ScopeToken;
    if (DIGITS.test(t.word)) {
      // The number's parts: digit tokens joined by one "." or ",".
      let end = k;
      let all = claimSet.has(t.stem);
      for (
        let n = tokens[end + 1];
        n && joinsNumber(text, tokens[end] as ScopeToken, n);
        n = tokens[end + 1]
      ) {
        all &&= claimSet.has(n.stem);
        end++;
      }
      if (all) out.push({ start: t.start, end: (tokens[end] as ScopeToken).end, cue: 'overlap' });
      k = end;
    } else if (!isStopword(t.word) && claimSet.has(t.stem))
      out.push({ start: t.start, end: t.end, cue: 'overlap' });
  }
  return out;
}

/** Does digit token `next` continue the number of `prev` ("4" "." "6", "1" "," "200")? */
function joinsNumber(text: string, prev: ScopeToken, next: ScopeToken): boolean {
  return (
    DIGITS.test(next.word) &&
    next.start === prev.end + 1 &&
    (text[prev.end] === '.' || text[prev.end] === ',')
  );
}

function cueSpan(c: ScopedCue): EvidenceSpan {
  const cue: Cue =
    c.kind === 'refute'
      ? 'refute'
      : c.kind === 'negation'
        ? 'negation'
        : c.kind === 'reversal'
          ? 'reversal'
          : c.kind === 'hedge'
            ? 'hedge'
            : 'support';
  return { start: c.start, end: c.end, cue };
}

/**
 * The words that carry `label` in the sentence. For a claim that denies something the refuting
 * words carry agreement and the confirming ones disagreement.
 */
function spansFor(label: Label, f: Facts, claimSet: ReadonlySet<string>, denies = false): EvidenceSpan[] {
  const own = f.scoped.cues.filter((c) => c.voice !== 'claim');
  let spans: EvidenceSpan[];
  if (denies && (label === 'agree' || label === 'disagree'))
    spans = [
      ...own.filter((c) => (label === 'agree' ? REFUTING.has(c.kind) : c.kind === 'support')).map(cueSpan),
      ...overlapSpans(f, claimSet),
    ];
  else if (label === 'disagree') spans = own.filter((c) => REFUTING.has(c.kind)).map(cueSpan);
  else if (label === 'discuss') {
    // What it reports, when that disputes the claim ("X will not …, a magazine reports").
    spans = own
      .filter((c) => c.kind === 'hedge' || (!denies && DISPUTING.has(c.kind) && c.anchor === 'claim'))
      .map(cueSpan);
    const q = f.info.text.lastIndexOf('?');
    if (q >= 0) spans.push({ start: q, end: q + 1, cue: 'question' });
  } else if (label === 'agree')
    spans = [...own.filter((c) => c.kind === 'support').map(cueSpan), ...overlapSpans(f, claimSet)];
  else spans = overlapSpans(f, claimSet);
  if (spans.length === 0 && label !== 'unrelated') spans = overlapSpans(f, claimSet);
  spans.sort((x, y) => x.start - y.start);
  return spans.filter((s, k) => k === 0 || s.start >= (spans[k - 1] as EvidenceSpan).end);
}

function cuesOf(f: Facts, spans: readonly EvidenceSpan[]): Cue[] {
  const set = new Set<Cue>();
  if (f.align >= 0.3) set.add('overlap');
  for (const s of spans) set.add(s.cue);
  if (f.scoped.quotesClaim) set.add('quote');
  if (f.info.clean.includes('?')) set.add('question');
  return [...set];
}

/** The scoping of a sentence no cue of which is looked at (unrelated verdicts). */
const UNSCOPED: ScopedSentence = {
  matched: 0,
  cues: [],
  counts: { refute: 0, negation: 0, hedge: 0, support: 0, reversal: 0 },
  claimVoice: { refute: 0, negation: 0, hedge: 0, support: 0, reversal: 0 },
  quotesClaim: false,
  hedged: false,
};

/** Sentences looked at closely: the best-aligned ones (plus the neighbours of the closest five). */
const MAX_CANDIDATES = 8;

/** Below this share of the claim's key words a sentence states or reports only part of the claim. */
const PART_ALIGNMENT = 0.5;

/**
 * The claim's most telling words that a sentence does not use, as written in the claim: words
 * before names (what happened matters more than where), then the rarest.
 */
function leftOut(input: ExplainInput, f: Facts, max: number): string[] {
  const { claim } = input;
  const surfaces = claimSurfaces(claim);
  const names = new Set(claim.names.map((n) => n.stem));
  return claim.stems
    .map((st, j) => ({ st, w: claim.weights[j] as number, j, name: names.has(st) ? 1 : 0 }))
    .filter((x) => !f.info.stemSet.has(x.st))
    .sort((x, y) => x.name - y.name || y.w - x.w)
    .slice(0, max)
    .sort((x, y) => x.j - y.j)
    .map((x) => surfaces.get(x.st) ?? claim.surface.get(x.st) ?? x.st);
}

/** Below this share of the claim's key words a sentence is not taken to state, report or refute the claim. */
const WEAK_ALIGNMENT = 0.3;
const LABEL_PHRASE: Readonly<Record<Label, string>> = {
  agree: 'backing it',
  disagree: 'disputing it',
  discuss: 'discussing it',
  unrelated: 'unrelated',
};

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const quoted = (ws: readonly string[]): string => ws.map((w) => `"${w}"`).join(', ');
function andList(ws: readonly string[]): string {
  if (ws.length <= 1) return ws.join('');
  return `${ws.slice(0, -1).join(', ')} and ${ws[ws.length - 1] as string}`;
}
const unique = (ws: readonly string[]): string[] => [...new Set(ws)];

/** Surface words (as written in the sentence) of some spans. */
function spanWords(f: Facts, spans: readonly EvidenceSpan[], cues: ReadonlySet<Cue>, max: number): string[] {
  const text = f.info.text;
  // Quote whole hyphenated compounds ("high-speed", "12-year-old"), as a reader sees them.
  const part = /[\p{L}\p{N}'-]/u;
  const word = (s: EvidenceSpan): string => {
    let a = s.start;
    let b = s.end;
    while (a > 0 && part.test(text[a - 1] as string) && (text[a - 1] !== '-' || part.test(text[a - 2] ?? '')))
      a--;
    while (
      b < text.length &&
      part.test(text[b] as string) &&
      (text[b] !== '-' || part.test(text[b + 1] ?? ''))
    )
      b++;
    return text.slice(a, b).replace(/^['-]+|['-]+$/gu, '');
  };
  return unique(spans.filter((s) => cues.has(s.cue)).map(word)).slice(0, max);
}

/** The evidence and the reason for a verdict. */
export function explain(input: ExplainInput): { evidence: Evidence[]; reason: string } {
  const { label, claim, body, alignment } = input;
  const claimSet = new Set(claim.stems);
  const polarity = claimPolarity(claim, EXPLAIN_STANCE_RULES);
  const n = body.info.length;
  const near = (i: number): number => {
    let m = 0;
    for (let d = -2; d <= 2; d++)
      if (d !== 0 && i + d >= 0 && i + d < n) m = Math.max(m, alignment[i + d] as number);
    return m;
  };
  // Candidate sentences (bounded, so long bodies stay cheap): the best-aligned ones, and the
  // neighbours of the closest few, where a cue word can refer to the claim ("It is a hoax.").
  const candidates = new Set<number>();
  // Unrelated: the closest sentences only, ranked by alignment; no cue scoping is needed.
  const best = topIndexes(alignment, label === 'unrelated' ? Math.max(1, input.limit) : MAX_CANDIDATES);
  if (label === 'unrelated') {
    const facts = best
      .filter((i) => (alignment[i] as number) > 0)
      .map((i): Facts => {
        const info = body.info[i] as SentenceInfo;
        return {
          index: i,
          info,
          align: alignment[i] as number,
          scoped: UNSCOPED,
          stance: { agree: 0, disagree: 0, discuss: 0 },
          refute: 0,
          hedge: 0,
          plain: false,
        };
      });
    const evidence = facts.slice(0, input.limit).map((f) => {
      const spans = spansFor(label, f, claimSet);
      return {
        index: f.index,
        number: f.index + 1,
        text: f.info.text,
        score: round3(Math.min(1, f.align)),
        cues: cuesOf(f, spans),
        spans,
      };
    });
    return { evidence, reason: unrelatedReason(input, facts) + otherStoryNote(input) };
  }
  best.forEach((i, rank) => {
    if ((alignment[i] as number) <= 0) return;
    candidates.add(i);
    const reach = rank < 2 ? 2 : rank < 4 ? 1 : 0;
    for (let d = -reach; d <= reach; d++) if (i + d >= 0 && i + d < n) candidates.add(i + d);
  });
  const facts: Facts[] = [];
  for (const i of [...candidates].sort((x, y) => x - y)) {
    const info = body.info[i] as SentenceInfo;
    const a = alignment[i] as number;
    if (a <= 0 && (info.tokens.length === 0 || near(i) < 0.25)) continue;
    if (
      a <= 0 &&
      info.cues.refute + info.cues.negation + info.cues.hedge + info.cues.support === 0 &&
      !info.cues.question
    )
      continue;
    facts.push(factsOf(i, input, claimSet, near(i), polarity));
  }
  let scored = facts
    .map((f) => ({ f, score: labelScore(label, f, polarity.denies) }))
    .filter((x) => x.score > 0)
    .sort((x, y) => y.score - x.score || x.f.index - y.f.index);
  // No sentence shares a key word with the claim (a paraphrase): the sentences closest in meaning.
  const byMeaning = scored.length === 0;
  if (byMeaning) scored = closestInMeaning(input, claimSet, polarity);
  let top = scored.slice(0, Math.max(1, input.limit));
  const k = input.contradiction;
  if (k) {
    // The rule makes the label disagree (contradiction.ts: decideDisagree): its sentence is the first evidence.
    const kf =
      facts.find((f) => f.index === k.sentence) ??
      factsOf(k.sentence, input, claimSet, near(k.sentence), polarity);
    const kScore =
      scored.find((x) => x.f.index === k.sentence)?.score ?? labelScore(label, kf, polarity.denies);
    const rest = top.filter((x) => x.f.index !== k.sentence);
    top = [{ f: kf, score: Math.max(kScore, top[0]?.score ?? 0) }, ...rest].slice(0, top.length);
  }
  const evidence: Evidence[] = top.map(({ f, score }) => {
    const spans = spansFor(label, f, claimSet, polarity.denies);
    if (k && f.index === k.sentence && !spans.some((s) => s.start < k.end && s.end > k.start)) {
      spans.push({ start: k.start, end: k.end, cue: k.kind });
      spans.sort((x, y) => x.start - y.start);
    }
    return {
      index: f.index,
      number: f.index + 1,
      text: f.info.text,
      score: round3(Math.min(1, score)),
      cues: cuesOf(f, spans),
      spans,
    };
  });
  const reason =
    stanceReason(label, input, top[0]?.f, evidence[0], facts, byMeaning, polarity.denies) +
    // The contradiction rule decided (disagree), or the statement rule turned the label (agree).
    (k && input.overruled ? turnedNote(input.overruled, 'this sentence turns the label') : '') +
    (label === 'agree' && input.stated
      ? turnedNote(
          input.stated,
          `the body's first sentence states the ${input.role}'s claim in its own voice, which turns the label`,
        )
      : '');
  return { evidence: evidence.slice(0, input.limit), reason };
}

/** The sentences closest to the claim in meaning (word vectors), for a claim none of whose words the body uses. */
function closestInMeaning(
  input: ExplainInput,
  claimSet: ReadonlySet<string>,
  polarity: ClaimPolarity,
): { f: Facts; score: number }[] {
  const { claim, body } = input;
  if (claim.vector.length === 0) return [];
  const sims = new Float64Array(body.info.length);
  body.info.forEach((s, i) => {
    sims[i] = s.vector.length === claim.vector.length ? dot(claim.vector, s.vector) : 0;
  });
  return topIndexes(sims, Math.max(2, input.limit))
    .filter((i) => (sims[i] as number) > 0)
    .map((i) => ({
      f: factsOf(i, input, claimSet, 0, polarity),
      // A news story's lead usually states its subject: it wins a near tie.
      score: 0.5 * Math.min(1, (sims[i] as number) * (i === 0 ? 1.1 : 1)),
    }))
    .sort((x, y) => y.score - x.score || x.f.index - y.f.index);
}

function stanceReason(
  label: Label,
  input: ExplainInput,
  f: Facts | undefined,
  ev: Evidence | undefined,
  all: readonly Facts[],
  byMeaning: boolean,
  denies: boolean,
): string {
  const what = input.role;
  const conf = pct(input.confidence);
  if (!f || !ev)
    return `No sentence of the body shares the ${what}'s key words; the model still reads it as ${label} (${conf}).`;
  const N = ev.number;
  if (byMeaning)
    return `No sentence of the body shares the ${what}'s key words; the closest in meaning is sentence ${N}, and the model reads the body as ${LABEL_PHRASE[label]} (${conf}).`;
  const matches = `matches ${pct(f.align)} of the ${what}'s key words`;
  const anyRefutes = all.some((x) => x.refute > 0);
  // A sentence with few of the claim's words neither states, reports nor refutes it: say so.
  // A refutation (or, under a denying claim, an echo of its denial) may only refer to the claim.
  // (Under a denying claim a disputing sentence states the claim, so it must carry its words.)
  const refers =
    (label === 'disagree' && f.refute > 0 && !denies) || (denies && label === 'agree' && f.stance.agree > 0);
  // It refers to the claim as told around it when it carries few of the claim's words itself.
  const where =
    f.align < WEAK_ALIGNMENT ? `it refers to the claim as told in the sentences around it` : `it ${matches}`;
  if (f.align < WEAK_ALIGNMENT && !refers) {
    const best = Math.max(...all.map((x) => x.align));
    if (best >= WEAK_ALIGNMENT)
      return `The model reads the body as ${LABEL_PHRASE[label]} (${conf}); the sentence that bears most on that, sentence ${N}, matches only ${pct(f.align)} of the ${what}'s key words.`;
    // Nothing carries the claim: say what the body leaves out and what it is about instead,
    // which is what tells a reader the headline may belong to another story.
    const { missing, telling } = absentWords(input);
    const topics = missing.length > 0 ? bodyTopics(input.body, new Set(input.claim.stems), input.idf, 3) : [];
    const elsewhere =
      telling.length > 0
        ? `; the body never mentions ${andList(telling)}${topics.length > 0 ? ` — it is about ${andList(topics)}` : ''}`
        : '';
    return `The model reads the body as ${LABEL_PHRASE[label]} (${conf}), but no sentence carries much of the ${what}: the one that bears most on it, sentence ${N}, matches only ${pct(f.align)} of its key words${elsewhere}.`;
  }
  const words = spanWords(f, ev.spans, new Set<Cue>(['overlap']), 4);
  const named = words.length > 0 ? ` (${quoted(words)})` : '';
  if (denies && label === 'disagree') {
    const support = spanWords(f, ev.spans, new Set<Cue>(['support']), 2);
    const confirms = support.length > 0 ? `, confirming it (${quoted(support)})` : '';
    if (f.stance.disagree > 0)
      return `The ${what} denies what sentence ${N} ${f.plain ? 'states as fact' : 'reports'}${confirms}: it ${matches}${named}.`;
    return `The model leans to disagree (${conf}), but no sentence states what the ${what} denies in so many words; the closest, sentence ${N}, ${matches}.`;
  }
  if (denies && label === 'agree') {
    const echo = spanWords(f, ev.spans, REFUTING, 3);
    if (echo.length > 0)
      return `Sentence ${N} denies it as the ${what} does (${quoted(echo)}); ${where}${f.align < WEAK_ALIGNMENT ? '' : named}.`;
    return `Sentence ${N} ${matches}${named}; the model reads the body as backing the ${what}'s denial (${conf}).`;
  }
  if (label === 'disagree') {
    const refuting = spanWords(f, ev.spans, new Set<Cue>(['refute']), 3);
    const negating = spanWords(f, ev.spans, new Set<Cue>(['negation']), 3);
    const reversing = spanWords(f, ev.spans, new Set<Cue>(['reversal']), 3);
    if (refuting.length > 0)
      return `Sentence ${N} calls the ${what}'s claim false (${quoted(refuting)}); ${where}.`;
    if (negating.length > 0)
      return `Sentence ${N} denies the ${what}'s claim (${quoted(negating)}); ${where}.`;
    if (reversing.length > 0)
      return `Sentence ${N} says what the ${what} reports was reversed or did not happen (${quoted(reversing)}); ${where}.`;
    return `The model leans to disagree (${conf}), but no sentence refutes the ${what} in so many words; the closest, sentence ${N}, ${matches}.`;
  }
  if (label === 'agree') {
    const support = spanWords(f, ev.spans, new Set<Cue>(['support']), 2);
    const confirms = support.length > 0 ? `, confirming it (${quoted(support)})` : '';
    const undisputed = anyRefutes ? '' : ', and no sentence disputes it';
    // A sentence with under half the claim's key words carries part of it: say which words it leaves out.
    const partial = f.align < PART_ALIGNMENT;
    const claimPart = partial ? `part of the ${what}'s claim` : `the ${what}'s claim`;
    const left = partial ? leftOut(input, f, 2) : [];
    const leaves = left.length > 0 ? `; it leaves out ${andList(left)}` : '';
    if (f.plain)
      return `Sentence ${N} states ${claimPart} as fact${confirms}: it ${matches}${named}${leaves}${undisputed}.`;
    return `Sentence ${N} reports ${claimPart}${confirms}: it ${matches}${named}${leaves}${undisputed}; the model reads the body as backing it (${conf}).`;
  }
  // discuss
  const hedges = spanWords(f, ev.spans, new Set<Cue>(['hedge']), 3);
  const question = ev.spans.some((s) => s.cue === 'question');
  const anySupports = all.some((x) => x.scoped.counts.support > 0 && x.refute === 0);
  const noSide = !anyRefutes && !anySupports ? '; no sentence confirms or refutes it' : '';
  const disputing = spanWords(f, ev.spans, DISPUTING, 2);
  if (hedges.length > 0 && disputing.length > 0)
    return `Sentence ${N} reports the ${what}'s claim as disputed, without vouching either way (${quoted(disputing)}; attribution or hedging: ${quoted(hedges)}); it ${matches}${noSide}.`;
  if (hedges.length > 0)
    return `Sentence ${N} reports the ${what}'s claim without vouching for it (attribution or hedging: ${quoted(hedges)}); it ${matches}${noSide}.`;
  if (question) return `Sentence ${N} asks whether the ${what}'s claim is true; it ${matches}${noSide}.`;
  if (f.scoped.quotesClaim)
    return `Sentence ${N} quotes the ${what}'s claim rather than asserting it; it ${matches}${noSide}.`;
  return `Sentence ${N} ${matches}${named}, and the model reads the body as discussing the claim without settling it (${conf})${noSide}.`;
}

/**
 * Said after the reason when a rule after the model turned the label: what the model alone read
 * (`modelLabel`), then what turned it (`turned`).
 */
function turnedNote(modelLabel: Label, turned: string): string {
  return ` The model alone reads the body as ${LABEL_PHRASE[modelLabel]}; ${turned}.`;
}

/** Where a rule after the model (shared-name, absent-names) turned the label to unrelated: what turned it. */
function otherStoryNote(input: ExplainInput): string {
  const { overruled, sharedName, absentNames, role } = input;
  if (!overruled) return '';
  if (sharedName)
    return turnedNote(
      overruled,
      `the body shares only the name "${sharedName.name}" with the ${role} and none of what the ${role} says about it, so it tells another story`,
    );
  if (absentNames)
    return turnedNote(
      overruled,
      `the body is a short item that never names ${andList(absentNames.names)} and lacks most of the ${role}'s words, so it tells another story`,
    );
  return '';
}

/** Surface form of each claim stem as written in the claim. */
function claimSurfaces(claim: ClaimFeatures): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of claim.text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu)) {
    const w = m[0].replace(/['’]s$/u, '');
    const lower = w.toLowerCase().replace(/['’]/g, '');
    for (const [st, surf] of claim.surface) if (surf === lower && !out.has(st)) out.set(st, w);
  }
  return out;
}

const DIGITS = /^\d+$/;

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWordChar = (ch: string | undefined): boolean => {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return WORD_CHAR.test(ch);
};
/** Where `word` stands on its own in `text` (not inside another word), in order. */
function wordPositions(text: string, word: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length))
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + word.length])) out.push(at);
  return out;
}

/** Each sentence's clean text, lower-cased (per body, once). */
const lowerCache = new WeakMap<BodyFeatures, string[]>();

/** How many of a word's occurrences are capitalised inside a sentence (not its first word). */
function capitalShare(body: BodyFeatures, word: string): { share: number; capital: string; inside: number } {
  const capital = (word[0] as string).toUpperCase() + word.slice(1);
  let lowered = lowerCache.get(body);
  if (!lowered) lowerCache.set(body, (lowered = body.info.map((i) => i.clean.toLowerCase())));
  let caps = 0;
  let inside = 0;
  body.info.forEach((info, i) => {
    const lower = lowered[i] as string;
    // toLowerCase keeps UTF-16 offsets for the letters of a word that is already lower case.
    for (const at of wordPositions(lower, word)) {
      // A sentence's first word is capitalised anyway: it says nothing about names.
      let first = true;
      for (let k = at - 1; k >= 0 && first; k--) if (isWordChar(info.clean[k])) first = false;
      if (first) continue;
      inside++;
      if (info.clean.startsWith(capital, at)) caps++;
    }
  });
  return { share: inside > 0 ? caps / inside : 0, capital, inside };
}

/** Candidates looked at for capitals: the body's most frequent rare words. */
const TOPIC_CANDIDATES = 24;

/** A word family of a body ("Ukraine", "Ukrainian"): its most frequent stem and form, count × IDF. */
interface Family {
  stem: string;
  top: number;
  stems: string[];
  score: number;
  /** The family's most frequent stem as first written (lower-cased). */
  word: string;
  /** Filled in on first use: the capitalised form when the family is a name. */
  name?: { is: boolean; surface: string };
}
/** Per body: its best word families (computed once, for the headline and the subtitle alike). */
const familyCache = new WeakMap<BodyFeatures, Family[]>();
/** The same from every word once (a short body whose only repeated words are the claim's). */
const onceFamilyCache = new WeakMap<BodyFeatures, Family[]>();

/** The body's best word families by count × IDF, from the stem counts prepareBody made. */
function families(body: BodyFeatures, idf: (stem: string) => number, everyWord = false): Family[] {
  const cache = everyWord ? onceFamilyCache : familyCache;
  const cached = cache.get(body);
  if (cached) return cached;
  // Words said at least twice, unless the body is too short for any (or every word is asked for).
  let minCount = 1;
  if (!everyWord)
    for (const n of body.stemTf.values())
      if (n >= 2) {
        minCount = 2;
        break;
      }
  const byKey = new Map<string, Family>();
  // Where every word counts, the first sentence's say what the story is about twice as much.
  const lead = everyWord ? body.info[0]?.stemSet : undefined;
  for (const [st, n] of body.stemTf) {
    if (n < minCount || st.length < 3 || DIGITS.test(st)) continue;
    const key = st.slice(0, 5);
    const score = n * idf(st) * (lead?.has(st) ? 2 : 1);
    const f = byKey.get(key);
    if (!f) byKey.set(key, { stem: st, top: n, stems: [st], score, word: st });
    else {
      f.stems.push(st);
      f.score += score;
      if (n > f.top || (n === f.top && st.length < f.stem.length)) {
        f.top = n;
        f.stem = st;
      }
    }
  }
  const ranked = [...byKey.values()].sort((x, y) => y.score - x.score).slice(0, TOPIC_CANDIDATES);
  // Each family's form as written: the first token of its stem.
  const need = new Map(ranked.map((f) => [f.stem, f]));
  for (const info of body.info) {
    if (need.size === 0) break;
    info.tokenStems.forEach((st, k) => {
      const f = need.get(st);
      if (f) {
        f.word = info.tokens[k] as string;
        need.delete(st);
      }
    });
  }
  cache.set(body, ranked);
  return ranked;
}

/**
 * The body's most salient names and terms: frequent and rare in general (IDF), names first, one
 * per word family ("Ukraine" and "Ukrainian" count together); none of the claim's own words.
 */
function bodyTopics(
  body: BodyFeatures,
  claimSet: ReadonlySet<string>,
  idf: (stem: string) => number,
  max: number,
): string[] {
  const scored: { surface: string; name: boolean; score: number }[] = [];
  const notClaims = (fs: Family[]): Family[] => fs.filter((f) => !f.stems.some((st) => claimSet.has(st)));
  // A short body may repeat fewer than `max` words of its own ("aid agencies … the civil protection
  // agency" and nothing else): then every word counts, each ranked by how often and how rarely.
  const own = notClaims(families(body, idf));
  for (const f of own.length >= max ? own : notClaims(families(body, idf, true))) {
    // A day or a month is when, not what.
    if (CALENDAR.has(f.word.toLowerCase())) continue;
    if (!f.name) {
      const { share, capital, inside } = capitalShare(body, f.word);
      // Written only at the start of sentences ("Ukraine's air force said …"): a name when another
      // word of its family is one inside a sentence ("… Ukrainian officials said").
      const name = inside > 0 ? share >= 0.6 : f.stems.some((st) => body.nameTf.has(st));
      f.name = name ? { is: true, surface: capital } : { is: false, surface: f.word };
    }
    scored.push({ surface: f.name.surface, name: f.name.is, score: f.score * (f.name.is ? 2 : 1) });
  }
  scored.sort((x, y) => y.score - x.score);
  const names = scored.filter((r) => r.name);
  const picked: { surface: string; name: boolean; joined: boolean }[] = [];
  for (const r of names.length >= 2 ? names : scored) {
    if (picked.length >= max) break;
    // Two names the body writes side by side ("Tel Aviv", "Apple Watch") are one name.
    let joined = false;
    for (const p of picked) {
      const phrase = r.name && p.name && !p.joined ? namePhrase(body, p.surface, r.surface) : undefined;
      if (phrase) {
        p.surface = phrase;
        p.joined = joined = true;
        break;
      }
    }
    if (!joined) picked.push({ surface: r.surface, name: r.name, joined: false });
  }
  return picked.map((r) => r.surface);
}

/** Per body: its sentences as one text, and the name pairs already looked up (once each). */
const phraseCache = new WeakMap<BodyFeatures, { text: string; pairs: Map<string, string | undefined> }>();

/**
 * Two names as the body writes them side by side, in its order and as most often written ("Tel
 * Aviv", "Kim Jong-un"), when at least half the occurrences of the rarer of the two are in the
 * pair; else undefined. Linear in the body's length, once per body and pair.
 */
function namePhrase(body: BodyFeatures, a: string, b: string): string | undefined {
  let cache = phraseCache.get(body);
  if (!cache)
    phraseCache.set(body, (cache = { text: body.info.map((i) => i.clean).join('\n'), pairs: new Map() }));
  const key = a < b ? `${a}\n${b}` : `${b}\n${a}`;
  if (cache.pairs.has(key)) return cache.pairs.get(key);
  const { text } = cache;
  const xs = wordPositions(text, a);
  const ys = wordPositions(text, b);
  const alone = Math.min(xs.length, ys.length);
  let phrase: string | undefined;
  for (const [x, y, starts] of [
    [a, b, xs],
    [b, a, ys],
  ] as const) {
    const forms = new Map<string, number>();
    for (const i of starts) {
      let j = i + x.length;
      while (text[j] === ' ' || text[j] === '\t') j++;
      if (j === i + x.length || !text.startsWith(y, j)) continue;
      let end = j + y.length;
      // The second name may run on with a hyphen ("Jong-un").
      if (text[end] === '-' && isLetter(text[end + 1])) for (end += 1; isLetter(text[end]); end++);
      if (isWordChar(text[end])) continue;
      const form = text.slice(i, end);
      forms.set(form, (forms.get(form) ?? 0) + 1);
    }
    const n = [...forms.values()].reduce((p, q) => p + q, 0);
    if (n > 0 && 2 * n >= alone) {
      phrase = [...forms].sort((p, q) => q[1] - p[1])[0]?.[0];
      break;
    }
  }
  cache.pairs.set(key, phrase);
  return phrase;
}

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);

/** IDF from which a claim's capitalised first word is taken for a name. */
const RARE_FIRST_WORD = 5;

/** Capitalised but not a subject: days and months. */
const CALENDAR = new Set(
  'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december'.split(
    ' ',
  ),
);

/** Most words capitalised: a title-case headline, where capitals say nothing about names. */
function titleCase(text: string): boolean {
  const ws = text.match(/\p{L}+/gu) ?? [];
  const long = ws.filter((w) => w.length > 3);
  return long.length >= 3 && long.filter((w) => /^\p{Lu}/u.test(w)).length > 0.7 * long.length;
}

/** The claim's key words the body never uses (names first, then the rarest), and those it does use. */
function absentWords(input: ExplainInput): {
  found: string[];
  missing: string[];
  /** The (at most) three most telling missing words, in the claim's own order. */
  telling: string[];
} {
  const { claim, body } = input;
  const surfaces = claimSurfaces(claim);
  const surf = (st: string): string => surfaces.get(st) ?? claim.surface.get(st) ?? st;
  const found: string[] = [];
  const missing: { st: string; w: number }[] = [];
  claim.stems.forEach((st, j) => {
    if (body.stemTf.has(st)) found.push(surf(st));
    else missing.push({ st, w: claim.weights[j] as number });
  });
  // Names (capitalised inside the claim) first, then the rarest words.
  const titled = titleCase(claim.text);
  // The claim's first word is capitalised anyway: it counts as a name only when it is rare ("Israel", not "Police").
  const isName = (st: string): boolean => {
    const w = surfaces.get(st);
    return (
      !titled &&
      w !== undefined &&
      /^\p{Lu}/u.test(w) &&
      (!claim.text.startsWith(w) || input.idf(st) >= RARE_FIRST_WORD) &&
      !CALENDAR.has(w.toLowerCase())
    );
  };
  const named = new Set(missing.filter((m) => isName(m.st)).map((m) => m.st));
  missing.sort((x, y) => Number(named.has(y.st)) - Number(named.has(x.st)) || y.w - x.w);
  const order = new Map(claim.stems.map((st, j) => [st, j]));
  // Up to four missing names ("Israel, Hamas, Gaza and Netanyahu"), else the three most telling words.
  const telling = missing
    .slice(0, named.size >= 4 ? 4 : 3)
    .sort((x, y) => (order.get(x.st) ?? 0) - (order.get(y.st) ?? 0))
    .map((m) => surf(m.st));
  return { found, missing: missing.map((m) => surf(m.st)), telling };
}

function unrelatedReason(input: ExplainInput, facts: readonly Facts[]): string {
  const { claim, body, role } = input;
  const claimSet = new Set(claim.stems);
  const { found, missing, telling: named } = absentWords(input);
  const topics = bodyTopics(body, claimSet, input.idf, 3);
  const about = topics.length > 0 ? ` — it is about ${andList(topics)}` : '';
  const best = Math.max(0, ...facts.map((f) => f.align));
  const total = claim.stems.length;
  if (missing.length > 0) {
    const more = missing.length - named.length;
    const them = named.length === 1 ? 'it' : 'them';
    const others = more > 0 ? ` (nor ${more} other key word${more === 1 ? '' : 's'} of the ${role})` : '';
    const shared =
      found.length > 0
        ? `; it shares only ${found.length} of the ${role}'s ${total} key words (${quoted(found.slice(0, 5))}${found.length > 5 ? ', …' : ''})`
        : '';
    return `The ${role} is about ${andList(named)}; the body never mentions ${them}${others}${about}${shared}.`;
  }
  return `Every key word of the ${role} occurs somewhere in the body, but no sentence brings more than ${pct(best)} of them together${about}.`;
}

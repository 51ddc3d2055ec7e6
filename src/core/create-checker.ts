/**
 * createChecker(model): the pure classifier. Features → trees → calibrated probabilities →
 * verdict with evidence sentences, their cues, and a one-line reason.
 */
import { argmax, LABELS, NUM_LABELS, toProbabilities, type Label } from './labels.js';
import { StanceError } from './errors.js';
import { assertReadableText } from './text/readable.js';
import {
  pairFeatures,
  prepareBody,
  prepareClaim,
  topIndexes,
  type BodyFeatures,
  type ClaimFeatures,
  type SentenceInfo,
} from './features/extract.js';
import { createScorer } from './model/scorer.js';
import { calibrate } from './model/calibration.js';
import type { Model } from './model/model.js';
import type { Checker, PreparedBody } from './checker.js';
import { WARNING_CODES, type Article, type ClaimVerdict, type Cue, type Evidence, type Verdict, type VerdictWarning } from './verdict.js';
import { detectLanguage, languageName, UNDETERMINED } from './text/language.js';
import { HEDGE, NEGATION, REFUTE, SUPPORT, firstIn } from './features/lexicons.js';

/** How many evidence sentences a verdict lists at most. */
const MAX_EVIDENCE = 3;
/** Prepared headlines a checker keeps for reuse. */
const MAX_CACHED_CLAIMS = 4096;

function asBody(p: PreparedBody): BodyFeatures {
  if (!('info' in p))
    throw new StanceError('USAGE', "expected a body prepared by this checker's prepareBody");
  return p as BodyFeatures;
}

function requireString(text: unknown, what: string): asserts text is string {
  if (typeof text !== 'string') {
    throw new StanceError('INPUT_EMPTY', `the ${what} is empty; expected some text`, { field: what });
  }
  assertReadableText(text, what);
}

/** Emptiness is judged on the prepared (normalised) text, so nothing is normalised twice. */
function empty(what: string): StanceError {
  return new StanceError('INPUT_EMPTY', `the ${what} is empty; expected some text`, { field: what });
}

/** Binds a checker to a model. Pure: no I/O. */
export function createChecker(model: Model): Checker {
  const { vocab, calibration } = model;
  const score = createScorer(model);
  const scores = new Float64Array(NUM_LABELS);
  // The same headline is usually checked against many bodies: prepare it once (bounded memo).
  const claims = new Map<string, ClaimFeatures>();
  function claimOf(text: string): ClaimFeatures {
    requireString(text, 'headline');
    let c = claims.get(text);
    if (!c) {
      if (claims.size >= MAX_CACHED_CLAIMS) claims.clear();
      c = prepareClaim(text, vocab);
      claims.set(text, c);
    }
    return c;
  }

  function probabilities(claim: ClaimFeatures, body: BodyFeatures): { p: number[]; alignment: Float64Array } {
    const { features, alignment } = pairFeatures(claim, body, vocab);
    score(features, claim, body, alignment, scores);
    return { p: Array.from(calibrate(scores, calibration)), alignment };
  }

  function evidenceOf(claim: ClaimFeatures, body: BodyFeatures, alignment: Float64Array): Evidence[] {
    const out: Evidence[] = [];
    for (const i of topIndexes(alignment, MAX_EVIDENCE)) {
      const score = alignment[i] as number;
      if (score <= 0) break;
      const s = body.info[i] as SentenceInfo;
      out.push({ index: i, text: s.text, score: Math.round(score * 1000) / 1000, cues: cuesOf(s, score) });
    }
    return out;
  }

  // The language of each body this checker prepared (detected once per body).
  const languages = new WeakMap<BodyFeatures, string>();
  /** Prepares a body (normalising it once); an empty one is refused. */
  function prepare(text: string): BodyFeatures {
    requireString(text, 'body');
    const body = prepareBody(text, vocab);
    if (body.sentenceCount === 0) throw empty('body');
    languages.set(body, detectLanguage(text));
    return body;
  }
  const languageOf = (body: BodyFeatures): string => languages.get(body) ?? UNDETERMINED;

  /** A prepared, non-empty headline (or subtitle). */
  function nonEmptyClaim(text: string): ClaimFeatures {
    const claim = claimOf(text);
    if (claim.text === '') throw empty('headline');
    return claim;
  }

  function classify(claimText: string, body: BodyFeatures): ClaimVerdict {
    const claim = nonEmptyClaim(claimText);
    const { p, alignment } = probabilities(claim, body);
    const label = LABELS[argmax(p)] as Label;
    const evidence = evidenceOf(claim, body, alignment);
    const language = languageOf(body);
    const warnings = warningsFor(language);
    return {
      claim: claim.text,
      label,
      probabilities: toProbabilities(p),
      evidence,
      reason: warnings.length > 0 ? notEnglishReason(language) : reasonFor(label, claim, body, evidence),
      language,
      warnings,
    };
  }

  return {
    card: model.card,
    prepareBody: prepare,
    checkPrepared(claim: string, body: PreparedBody): ClaimVerdict {
      return classify(claim, asBody(body));
    },
    classifyPrepared(claimText: string, prepared: PreparedBody) {
      const body = asBody(prepared);
      const { p } = probabilities(nonEmptyClaim(claimText), body);
      const language = languageOf(body);
      return { label: LABELS[argmax(p)] as Label, probabilities: p, language, warnings: warningsFor(language) };
    },
    check(article: Article): Verdict {
      const body = prepare(article.body);
      const verdict: Verdict = { ...classify(article.headline, body), sentenceCount: body.sentenceCount };
      // An empty subtitle (after normalisation) is no claim: skip it rather than refuse the article.
      if (article.subtitle !== undefined && claimOf(article.subtitle).text !== '') {
        verdict.subtitle = classify(article.subtitle, body);
      }
      return verdict;
    },
  };
}

/** A non-English body gets a warning (an undetermined one does not: too short to tell). */
function warningsFor(language: string): VerdictWarning[] {
  if (language === 'en' || language === UNDETERMINED) return [];
  return [{ code: 'NOT_ENGLISH', message: `The body is in ${languageName(language)}: ${WARNING_CODES.NOT_ENGLISH}.` }];
}

/** The reason for a non-English body: it never claims the body states anything as fact. */
function notEnglishReason(language: string): string {
  return `The body is in ${languageName(language)} and the model reads English only, so this label is a guess; have someone who reads ${languageName(language)} check it.`;
}

function cuesOf(s: SentenceInfo, score: number): Cue[] {
  const cues: Cue[] = [];
  if (score >= 0.3) cues.push('overlap');
  if (s.cues.refute > 0) cues.push('refute');
  if (s.cues.negation > 0) cues.push('negation');
  if (s.cues.hedge > 0) cues.push('hedge');
  if (s.cues.question) cues.push('question');
  if (s.cues.quote) cues.push('quote');
  if (s.cues.support > 0) cues.push('support');
  return cues;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const quoteList = (ws: readonly string[]): string => ws.map((w) => `"${w}"`).join(', ');

/** One plain sentence on why the label was given. */
function reasonFor(
  label: Label,
  claim: ClaimFeatures,
  body: BodyFeatures,
  evidence: readonly Evidence[],
): string {
  const found: string[] = [];
  const missing: { w: string; idf: number }[] = [];
  claim.stems.forEach((st, j) => {
    const w = claim.surface.get(st) ?? st;
    if (body.stemTf.has(st)) found.push(w);
    else missing.push({ w, idf: claim.weights[j] as number });
  });
  missing.sort((a, b) => b.idf - a.idf);
  const best = evidence[0];
  const bestTokens = best ? (body.info[best.index] as SentenceInfo).tokens : [];
  if (label === 'unrelated') {
    const miss = missing.slice(0, 4).map((m) => m.w);
    return (
      `The body does not talk about the headline's subject: ${found.length} of ${claim.stems.length} key headline words occur in it` +
      (found.length > 0 ? ` (${quoteList(found.slice(0, 4))})` : '') +
      (miss.length > 0 ? `; missing: ${quoteList(miss)}` : '') +
      `; the closest sentence covers ${pct(best?.score ?? 0)} of the headline.`
    );
  }
  const where = best
    ? `Sentence ${best.index + 1} matches ${pct(best.score)} of the headline`
    : 'The body matches the headline';
  if (label === 'disagree') {
    const cue = evidence
      .map(
        (e) =>
          firstIn((body.info[e.index] as SentenceInfo).tokens, REFUTE) ??
          firstIn((body.info[e.index] as SentenceInfo).tokens, NEGATION),
      )
      .find((w) => w !== undefined);
    return `${where}, and the body refutes the claim${cue ? ` (refuting or negating word "${cue}" near the match)` : ''}.`;
  }
  if (label === 'discuss') {
    const cue =
      firstIn(bestTokens, HEDGE) ??
      evidence
        .map((e) => firstIn((body.info[e.index] as SentenceInfo).tokens, HEDGE))
        .find((w) => w !== undefined);
    return `${where}; the body reports the claim without taking a side${cue ? ` (hedging or attribution: "${cue}")` : ''}.`;
  }
  const cue = firstIn(bestTokens, SUPPORT);
  return `${where} and states it as fact${cue ? ` ("${cue}")` : ''}: the body backs the headline.`;
}

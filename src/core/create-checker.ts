/**
 * createChecker(model): the pure classifier. Features → trees → calibrated probabilities →
 * verdict; the evidence sentences and the reason come from explain.ts.
 */
import { argmax, LABELS, NUM_LABELS, toProbabilities, type Label } from './labels.js';
import { StanceError } from './errors.js';
import { assertReadableText } from './text/readable.js';
import {
  NUM_FEATURES,
  pairFeatures,
  prepareBody,
  prepareClaim,
  type BodyFeatures,
  type ClaimFeatures,
} from './features/extract.js';
import { createScorer } from './model/scorer.js';
import { calibrate } from './model/calibration.js';
import { decideDisagree, ownVoiceContradiction, type Contradiction } from './features/contradiction.js';
import { boostAgree, ownVoiceStatement } from './features/statement.js';
import { decideUnrelated, sharedNameOnly, type SharedNameOnly } from './features/shared-name.js';
import { absentNames, type AbsentNames } from './features/absent-names.js';
import type { Model } from './model/model.js';
import type { CheckOptions, Checker, CheckerOptions, PreparedBody } from './checker.js';
import {
  WARNING_CODES,
  type Article,
  type ClaimVerdict,
  type Verdict,
  type VerdictWarning,
} from './verdict.js';
import { detectLanguage, languageName, UNDETERMINED } from './text/language.js';
import { explain, type ClaimRole } from './explain.js';
import { idfOf } from './features/vocabulary.js';

/** How many evidence sentences a verdict lists unless asked otherwise, and the most it can ask for. */
export const DEFAULT_EVIDENCE = 3;
export const MAX_EVIDENCE = 50;

/** Checks an `evidence` option: a whole number from 0 to MAX_EVIDENCE (undefined: the fallback). */
export function evidenceLimit(n: unknown, fallback: number): number {
  if (n === undefined) return fallback;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_EVIDENCE) {
    throw new StanceError(
      'USAGE',
      `evidence must be a whole number from 0 to ${MAX_EVIDENCE}; found ${JSON.stringify(n) ?? typeof n}`,
      {
        field: 'evidence',
      },
    );
  }
  return n;
}
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
export function createChecker(model: Model, options: CheckerOptions = {}): Checker {
  const defaultEvidence = evidenceLimit(options.evidence, DEFAULT_EVIDENCE);
  const contradictionRule = options.contradictionRule !== false;
  const statementRule = options.statementRule !== false;
  const sharedNameRule = options.sharedNameRule !== false;
  const absentNamesRule = options.absentNamesRule !== false;
  const { vocab, calibration } = model;
  const score = createScorer(model);
  // Per-pair buffers, reused: a pair's features and scores are read before the next pair's are made.
  const scores = new Float64Array(NUM_LABELS);
  const calibrated = new Float64Array(NUM_LABELS);
  const featureBuffer = new Float64Array(NUM_FEATURES);
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

  function probabilities(
    claim: ClaimFeatures,
    body: BodyFeatures,
  ): {
    p: number[];
    alignment: Float64Array;
    contradiction: Contradiction | undefined;
    overruled: Label | undefined;
    stated: Label | undefined;
    sharedName: SharedNameOnly | undefined;
    absent: AbsentNames | undefined;
  } {
    const { features, alignment, vecSims } = pairFeatures(claim, body, vocab, featureBuffer);
    score(features, claim, body, alignment, scores, vecSims);
    const p = calibrate(scores, calibration, calibrated);
    // Another story that shares one name with the headline: unrelated, and no other rule applies.
    const sharedName = sharedNameRule ? sharedNameOnly(claim, body, vocab) : undefined;
    // A short body that names none of the headline's names: unrelated too.
    const absent = absentNamesRule && !sharedName ? absentNames(claim, body) : undefined;
    const contradiction =
      contradictionRule && !sharedName && !absent ? ownVoiceContradiction(claim, body, alignment) : undefined;
    let overruled: Label | undefined;
    let stated: Label | undefined;
    if (sharedName || absent) {
      const before = argmax(p);
      decideUnrelated(p);
      if (LABELS[before] !== 'unrelated') overruled = LABELS[before];
    } else if (contradiction) {
      const before = argmax(p);
      decideDisagree(p);
      if (LABELS[before] !== 'disagree') overruled = LABELS[before];
    } else if (statementRule && ownVoiceStatement(claim, body, alignment)) {
      const before = argmax(p);
      boostAgree(p);
      if (LABELS[before] !== 'agree' && LABELS[argmax(p)] === 'agree') stated = LABELS[before];
    }
    return { p: Array.from(p), alignment, contradiction, overruled, stated, sharedName, absent };
  }

  // The language of each body this checker prepared (detected once per body).
  const languages = new WeakMap<BodyFeatures, string>();
  /** Prepares a body (normalising it once); an empty one is refused. */
  function prepare(text: string): BodyFeatures {
    requireString(text, 'body');
    const body = prepareBody(text, vocab);
    if (body.sentenceCount === 0) throw empty('body');
    languages.set(body, detectLanguage(text, options.guessLanguage));
    return body;
  }
  const languageOf = (body: BodyFeatures, given?: string): string =>
    languages.get(body) ?? given ?? UNDETERMINED;

  const idf = idfOf(vocab);

  /** A prepared, non-empty headline (or subtitle). */
  function nonEmptyClaim(text: string): ClaimFeatures {
    const claim = claimOf(text);
    if (claim.text === '') throw empty('headline');
    return claim;
  }

  function classify(
    claimText: string,
    body: BodyFeatures,
    role: ClaimRole,
    limit: number,
    givenLanguage?: string,
  ): {
    verdict: ClaimVerdict;
    contradiction: Contradiction | undefined;
    sharedName: SharedNameOnly | undefined;
    absentNames: AbsentNames | undefined;
  } {
    const claim = nonEmptyClaim(claimText);
    const { p, alignment, contradiction, overruled, stated, sharedName, absent } = probabilities(claim, body);
    const best = argmax(p);
    const label = LABELS[best] as Label;
    const { evidence, reason } = explain({
      label,
      confidence: p[best] as number,
      claim,
      body,
      alignment,
      role,
      limit,
      idf,
      contradiction,
      overruled,
      stated,
      sharedName,
      absentNames: absent,
    });
    const language = languageOf(body, givenLanguage);
    const warnings = warningsFor(language);
    const verdict: ClaimVerdict = {
      claim: claim.text,
      label,
      probabilities: toProbabilities(p),
      evidence,
      reason: warnings.length > 0 ? notEnglishReason(language) : reason,
      language,
      warnings,
    };
    return { verdict, contradiction, sharedName, absentNames: absent };
  }

  function checkPreparedWithRule(claim: string, body: PreparedBody, opts: CheckOptions = {}) {
    return classify(
      claim,
      asBody(body),
      'headline',
      evidenceLimit(opts.evidence, defaultEvidence),
      opts.language,
    );
  }

  return {
    card: model.card,
    prepareBody: prepare,
    checkPreparedWithRule,
    checkPrepared(claim: string, body: PreparedBody, opts: CheckOptions = {}): ClaimVerdict {
      return checkPreparedWithRule(claim, body, opts).verdict;
    },
    classifyPrepared(claimText: string, prepared: PreparedBody, opts: Pick<CheckOptions, 'language'> = {}) {
      const body = asBody(prepared);
      const { p } = probabilities(nonEmptyClaim(claimText), body);
      const language = languageOf(body, opts.language);
      return {
        label: LABELS[argmax(p)] as Label,
        probabilities: p,
        language,
        warnings: warningsFor(language),
      };
    },
    check(article: Article, opts: CheckOptions = {}): Verdict {
      const limit = evidenceLimit(opts.evidence, defaultEvidence);
      const body = prepare(article.body);
      const verdict: Verdict = {
        ...classify(article.headline, body, 'headline', limit).verdict,
        sentenceCount: body.sentenceCount,
      };
      // An empty subtitle (after normalisation) is no claim: skip it rather than refuse the article.
      if (article.subtitle !== undefined && claimOf(article.subtitle).text !== '') {
        verdict.subtitle = classify(article.subtitle, body, 'subtitle', limit).verdict;
      }
      return verdict;
    },
  };
}

/** A non-English body gets a warning (an undetermined one does not: too short to tell). */
function warningsFor(language: string): VerdictWarning[] {
  if (language === 'en' || language === UNDETERMINED) return [];
  return [
    {
      code: 'NOT_ENGLISH',
      message: `The body is in ${languageName(language)}: ${WARNING_CODES.NOT_ENGLISH}.`,
    },
  ];
}

/** The reason for a non-English body: it never claims the body states anything as fact. */
function notEnglishReason(language: string): string {
  return `The body is in ${languageName(language)} and the model reads English only, so this label is a guess; have someone who reads ${languageName(language)} check it.`;
}

/**
 * The corpus audit's per-article work: a stored article's headline (and subtitle) checked against
 * its own body, restored from the stored analysis, into the record the store keeps. One function
 * for `audit()` on the calling thread and for the worker pool's `auditChunk` task, so both store
 * the same bytes. No store or I/O here: a worker thread imports only this and the checker.
 */
import { inflateRawSync } from 'node:zlib';
import { StanceError } from '../../core/errors.js';
import { LABELS, toProbabilities, type Label } from '../../core/labels.js';
import type { Checker } from '../../core/checker.js';
import { idfOf, type Vocabulary } from '../../core/features/vocabulary.js';
import {
  ANALYSIS_FORMAT,
  decodeAnalysis,
  restoreBody,
  type BodyAnalysis,
} from '../../core/corpus/analysis.js';
import { detectLanguage } from '../../core/text/language.js';
import { guessLanguage } from '../language/tinyld.js';
import {
  findingOf,
  headlineKeyTerms,
  missingWordsNote,
  type AuditThresholds,
  type CrossCheck,
} from '../../core/corpus/rank.js';
import type { AuditRecord, StoredArticle } from '../../core/corpus/store.js';
import type { Evidence, VerdictWarning } from '../../core/verdict.js';

/**
 * What scoring an article needs of it. `analysis` is the compressed stored analysis; across a
 * thread boundary a Buffer arrives as a plain Uint8Array, which is all this reads.
 */
export type AuditArticle = Pick<StoredArticle, 'key' | 'id' | 'headline' | 'subtitle' | 'body' | 'analysis'>;

/** The stored audit of an article (the `result` JSON). */
export interface StoredAudit {
  p: number[];
  reason: string;
  evidence: Evidence[];
  /** Share of the headline's key terms missing from the body (absent in older audits: 0). */
  m?: number;
  /** The body contradicts the headline in its own voice (the checker's contradiction rule); absent: no. */
  c?: boolean;
  /**
   * A rule after the model found another story: the body shares only a name with the headline (the
   * shared-name rule) or is a short item naming none of its names (the absent-names rule); absent: no.
   */
  s?: boolean;
  /** Those terms, rarest first (at most 5). */
  mw?: string[];
  language?: string;
  warnings?: VerdictWarning[];
  subtitle?: { label: Label; p: number[] };
  /**
   * The cross-check (where else in the store the headline fits), made on the calling thread after
   * scoring for articles whose body the model doubts; absent: not cross-checked.
   */
  x?: CrossCheck;
}

/**
 * The finding of a stored audit under thresholds `t`: its probabilities with what the audit kept
 * (missing key terms, the checker's contradiction and shared-name rules, the cross-check).
 */
export function storedFinding(stored: StoredAudit, t: AuditThresholds): ReturnType<typeof findingOf> {
  return findingOf(
    toProbabilities(stored.p),
    t,
    stored.m ?? 0,
    stored.c === true,
    stored.x,
    stored.s === true,
  );
}

/** The stored analysis's JSON text; a damaged one is DB_CORRUPT. */
function inflateAnalysis(a: Pick<StoredArticle, 'id' | 'analysis'>): string {
  try {
    return inflateRawSync(a.analysis).toString('utf8');
  } catch (e) {
    throw new StanceError(
      'DB_CORRUPT',
      `the stored analysis of article ${a.id} is damaged; run \`stancecheck corpus reindex\``,
      {},
      { cause: e },
    );
  }
}

/** The decoded stored analysis of an article; damaged or of another format: DB_CORRUPT naming it. */
export function storedAnalysis(a: Pick<StoredArticle, 'id' | 'analysis'>): BodyAnalysis {
  const json = inflateAnalysis(a);
  try {
    return decodeAnalysis(json);
  } catch (e) {
    if (!(e instanceof StanceError)) throw e;
    throw new StanceError(
      e.code,
      `the stored analysis of article ${a.id} is damaged or from another version (expected format ${ANALYSIS_FORMAT}); run \`stancecheck corpus reindex\``,
      e.context,
      { cause: e },
    );
  }
}

/** The line the audit checks against the body: the headline, or the subtitle when there is none. */
export function auditedHeadline(a: Pick<StoredArticle, 'headline' | 'subtitle'>): string {
  return a.headline !== '' ? a.headline : (a.subtitle ?? '');
}

/** Scores one article for the audit (see the module comment): its record, `result` the {@link StoredAudit} JSON. */
export function auditArticle(
  checker: Checker,
  vocab: Vocabulary,
  a: AuditArticle,
  thresholds: AuditThresholds,
): AuditRecord {
  const analysis = storedAnalysis(a);
  const body = restoreBody(analysis, vocab);
  const language = analysis.l ?? detectLanguage(a.body, guessLanguage);
  const headline = auditedHeadline(a);
  if (headline === '')
    return {
      key: a.key,
      finding: null,
      score: 0,
      result: JSON.stringify({ p: [0, 0, 0, 0], reason: 'no headline', evidence: [] }),
    };
  const idf = idfOf(vocab);
  const {
    verdict: v,
    contradiction,
    sharedName,
    absentNames,
  } = checker.checkPreparedWithRule(headline, body, { language });
  const key = headlineKeyTerms(headline, analysis.t, idf);
  const stored: StoredAudit = {
    p: LABELS.map((l) => v.probabilities[l]),
    reason: auditReason(v.label, v.reason, key.words, v.warnings.length > 0),
    evidence: v.evidence,
    m: key.missing,
    mw: key.words.slice(0, 5),
    language: v.language,
    warnings: v.warnings,
  };
  if (a.subtitle && a.headline !== '') {
    const s = checker.classifyPrepared(a.subtitle, body, { language });
    stored.subtitle = { label: s.label, p: s.probabilities };
  }
  // The checker's own-voice contradiction rule held: the article is contradicted by its own body.
  if (contradiction) stored.c = true;
  // The shared-name rule held (another story that only names the same town or person), or the
  // absent-names rule (a short item that names none of the headline's names).
  if (sharedName || absentNames) stored.s = true;
  const f = storedFinding(stored, thresholds);
  return { key: a.key, finding: f.finding, score: f.score, result: JSON.stringify(stored) };
}

/**
 * The audit's reason: the verdict's own, preceded (when the model does not call the body unrelated
 * but key terms of the headline are missing) by which of them the body never uses. A non-English
 * body keeps the checker's reason, which says the label is a guess.
 */
function auditReason(label: Label, reason: string, missingWords: readonly string[], warned: boolean): string {
  if (warned || label === 'unrelated' || missingWords.length === 0) return reason;
  return `${missingWordsNote(missingWords, 'The body')} ${reason}`;
}

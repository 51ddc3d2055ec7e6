/**
 * The per-article analysis the corpus stores: sentences and their tokens (the text work), in a
 * compact JSON form. Rebuilding the checker's body features from it skips normalising, splitting
 * and tokenising; vector matrices are rebuilt from the model. Pure.
 */
import { StanceError } from '../errors.js';
import { normalizeText } from '../text/normalize.js';
import { splitSentences } from '../text/sentences.js';
import { detectLanguage, type LanguageGuesser } from '../text/language.js';
import { prepareTokenized, sentenceTokens, type BodyFeatures } from '../features/extract.js';
import type { Vocabulary } from '../features/vocabulary.js';

/** Bump when the stored form or the text code that produced it changes. */
export const ANALYSIS_FORMAT = 2;

/**
 * Sentences and, per sentence, its tokens joined by single spaces (tokens never hold spaces), and
 * the body's language (`l`, ISO 639-1 or "und"; absent in analyses stored before it was kept).
 */
export interface BodyAnalysis {
  v: number;
  s: string[];
  t: string[];
  l?: string;
}

/** Does the text work of a body once; `guess` guesses a language that is not plainly English (text/language.ts). */
export function analyzeBody(body: string, guess?: LanguageGuesser): BodyAnalysis {
  const text = normalizeText(body);
  const s = splitSentences(text);
  return {
    v: ANALYSIS_FORMAT,
    s,
    t: s.map((x) => sentenceTokens(x).join(' ')),
    l: detectLanguage(text, guess),
  };
}

/** The JSON text stored for an analysis. */
export function encodeAnalysis(a: BodyAnalysis): string {
  return JSON.stringify(a);
}

/** Parses a stored analysis; a damaged one is a DB_CORRUPT error. */
export function decodeAnalysis(json: string): BodyAnalysis {
  let a: unknown;
  try {
    a = JSON.parse(json);
  } catch {
    a = undefined;
  }
  const o = a as Partial<BodyAnalysis> | undefined;
  if (
    !o ||
    o.v !== ANALYSIS_FORMAT ||
    !Array.isArray(o.s) ||
    !Array.isArray(o.t) ||
    o.s.length !== o.t.length ||
    (o.l !== undefined && typeof o.l !== 'string')
  )
    throw new StanceError(
      'DB_CORRUPT',
      `a stored article analysis is damaged or from another version (expected format ${ANALYSIS_FORMAT}); run \`stancecheck corpus reindex\``,
    );
  return o as BodyAnalysis;
}

/** The checker's body features from a stored analysis (vectors from the model's vocabulary). */
export function restoreBody(a: BodyAnalysis, vocab: Vocabulary): BodyFeatures {
  return prepareTokenized(
    a.s,
    a.t.map((t) => (t === '' ? [] : t.split(' '))),
    vocab,
  );
}

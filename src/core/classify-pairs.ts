/**
 * Classifies many headline/body pairs, doing each body's work once. Pure: the caller streams the
 * results wherever it likes. `batch` (in-process), its worker threads and the queue workers all
 * score through {@link classifyPairs}.
 */
import type { Checker, PreparedBody } from './checker.js';
import { toProbabilities, type Label, type Probabilities } from './labels.js';
import type { VerdictWarning } from './verdict.js';

/** One pair to classify. */
export interface Pair {
  headline: string;
  /** The body text. Not read when `cache` already holds the prepared body for `bodyKey`. */
  body: string;
  /** Cache key for the body (e.g. its Body ID). Default: the body text itself. */
  bodyKey?: string;
}

/** Label and probabilities of one pair, with the body's language and any warnings. */
export interface PairResult {
  label: Label;
  probabilities: Probabilities;
  /** ISO 639-1 code of the body's language, or "und". */
  language: string;
  warnings: VerdictWarning[];
}

/** Where prepared bodies are kept between pairs (a `Map` works; callers may pass a bounded one). */
export interface PreparedBodyCache {
  get(key: string): PreparedBody | undefined;
  set(key: string, prepared: PreparedBody): unknown;
}

/** Options of {@link classifyPairs}. */
export interface ClassifyPairsOptions {
  /**
   * Prepared bodies by {@link bodyCacheKey}, shared across calls (e.g. the chunks of one queued
   * job). Default: a fresh Map for this call.
   */
  cache?: PreparedBodyCache;
}

/** The key under which a pair's prepared body is cached. */
export function bodyCacheKey(pair: Pick<Pair, 'body' | 'bodyKey'>): string {
  return pair.bodyKey !== undefined ? `id:${pair.bodyKey}` : `text:${pair.body}`;
}

/**
 * Yields one result per pair, in order, preparing each distinct body once.
 *
 * @example
 * for (const r of classifyPairs(checker, pairs)) console.log(r.label);
 */
export function* classifyPairs(
  checker: Checker,
  pairs: Iterable<Pair>,
  options: ClassifyPairsOptions = {},
): Generator<PairResult, void, undefined> {
  const cache = options.cache ?? new Map<string, PreparedBody>();
  // The previous pair's body: pairs grouped by body (as batch sends them) reuse it without building
  // and looking up their cache key (for a body keyed by its text, a string as long as the body).
  let last: { body: string; bodyKey: string | undefined; prepared: PreparedBody } | undefined;
  for (const pair of pairs) {
    let prepared: PreparedBody | undefined;
    if (last && pair.bodyKey === last.bodyKey && (pair.bodyKey !== undefined || pair.body === last.body))
      prepared = last.prepared;
    else {
      const key = bodyCacheKey(pair);
      prepared = cache.get(key);
      if (!prepared) {
        prepared = checker.prepareBody(pair.body);
        cache.set(key, prepared);
      }
      last = { body: pair.body, bodyKey: pair.bodyKey, prepared };
    }
    const r = checker.classifyPrepared(pair.headline, prepared);
    yield {
      label: r.label,
      probabilities: toProbabilities(r.probabilities),
      language: r.language,
      warnings: r.warnings,
    };
  }
}

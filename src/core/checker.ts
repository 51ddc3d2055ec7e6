import type { LanguageGuesser } from './text/language.js';
import type { Article, ClaimVerdict, Verdict, VerdictWarning } from './verdict.js';
import type { ModelCard } from './model/card.js';
import type { Label } from './labels.js';
import type { Contradiction } from './features/contradiction.js';
import type { SharedNameOnly } from './features/shared-name.js';
import type { AbsentNames } from './features/absent-names.js';

/**
 * A body with its per-body work done once (sentences, tokens, vectors), so that many claims can be
 * checked against it cheaply. Opaque to callers.
 */
export interface PreparedBody {
  readonly sentenceCount: number;
  /** The normalised sentences, in order (evidence indexes refer to these). */
  readonly sentences: readonly string[];
}

/** Options of a checker (createChecker's second argument). */
export interface CheckerOptions {
  /** Evidence sentences each verdict lists (0–50; default 3). */
  evidence?: number;
  /**
   * Apply the own-voice contradiction rule after the model (features/contradiction.ts; default
   * true). Off, the probabilities are the model's alone (e.g. to measure the rule's effect).
   */
  contradictionRule?: boolean;
  /**
   * Apply the own-voice statement rule after the model (features/statement.ts; default true): a
   * plain headline stated by the body's first sentence in its own voice raises the agree odds.
   */
  statementRule?: boolean;
  /**
   * Apply the shared-name rule after the model (features/shared-name.ts; default true): a body
   * that shares one name with the headline and none of what it says about it is unrelated.
   */
  sharedNameRule?: boolean;
  /**
   * Apply the absent-names rule after the model (features/absent-names.ts; default true): a short
   * body that names none of the headline's names and lacks most of its words is unrelated.
   */
  absentNamesRule?: boolean;
  /**
   * Guesses the language of a body that is not plainly English (text/language.ts). The library's
   * `createChecker` and the adapters give tinyld's, loaded on first use; without one such a body's
   * language is "und" and its verdict carries no NOT_ENGLISH warning.
   */
  guessLanguage?: LanguageGuesser;
}

/** Options of one check; they override the checker's. */
export interface CheckOptions {
  /** Evidence sentences to list (0–50). */
  evidence?: number;
  /**
   * The body's language (ISO 639-1 or "und") when the body was not prepared by this checker's
   * `prepareBody` (e.g. restored from a corpus store, which detects it at ingest).
   */
  language?: string;
}

/** A stance checker bound to one model. Classification is synchronous and pure. */
export interface Checker {
  /** The model's card (name, version, figures). */
  readonly card: ModelCard;
  /** Checks a headline (and subtitle, when given) against a body. */
  check(article: Article, options?: CheckOptions): Verdict;
  /** Does the per-body work once. */
  prepareBody(body: string): PreparedBody;
  /** Checks one claim against a prepared body. */
  checkPrepared(claim: string, body: PreparedBody, options?: CheckOptions): ClaimVerdict;
  /**
   * {@link checkPrepared}, also saying where the own-voice contradiction rule
   * (features/contradiction.ts), the shared-name rule (features/shared-name.ts) or the absent-names
   * rule (features/absent-names.ts) held, for the corpus audit, which flags such articles
   * (contradicted, wrong story).
   */
  checkPreparedWithRule(
    claim: string,
    body: PreparedBody,
    options?: CheckOptions,
  ): {
    verdict: ClaimVerdict;
    contradiction: Contradiction | undefined;
    sharedName: SharedNameOnly | undefined;
    absentNames: AbsentNames | undefined;
  };
  /** Fast path for batch scoring: label and probabilities only (no evidence text). */
  classifyPrepared(
    claim: string,
    body: PreparedBody,
    options?: Pick<CheckOptions, 'language'>,
  ): { label: Label; probabilities: number[]; language: string; warnings: VerdictWarning[] };
}

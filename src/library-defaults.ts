/**
 * The library's `createChecker` and `detectLanguage`: the core's, with tinyld as the language
 * guesser unless the caller gives another (core/text/language.ts; the guesser is loaded on first
 * use). Kept apart from src/index.ts so that the list of exports stays a list.
 */
import type { Checker, CheckerOptions } from './core/checker.js';
import { createChecker as createCoreChecker } from './core/create-checker.js';
import type { Model } from './core/model/model.js';
import { detectLanguage as detectWith, type LanguageGuesser } from './core/text/language.js';
import { guessLanguage } from './adapters/language/tinyld.js';

/** Binds a checker to a model (no I/O); bodies that are not plainly English are guessed by tinyld unless `options.guessLanguage` says otherwise. */
export function createChecker(model: Model, options: CheckerOptions = {}): Checker {
  return createCoreChecker(model, { ...options, guessLanguage: options.guessLanguage ?? guessLanguage });
}

/** ISO 639-1 code of the text's language, or "und" when it is too short to tell (tinyld unless `guess` is given). */
export function detectLanguage(text: string, guess: LanguageGuesser = guessLanguage): string {
  return detectWith(text, guess);
}

/**
 * The language guesser the adapters give the core (core/text/language.ts): tinyld, a small,
 * pure-JS detector, loaded when the first text that is not plainly English comes. Most bodies are
 * told English by their function words and never need it, and importing it costs a fresh process
 * or worker thread more than a tenth of a second (docs/BENCHMARKS.md), so `batch` over English
 * bodies never loads it.
 */
import { createRequire } from 'node:module';
import type { LanguageGuesser } from '../../core/text/language.js';

type Detect = (text: string) => string;

let detect: Detect | undefined;

/** Whether tinyld has been loaded in this thread (for tests and benchmarks). */
export function tinyldLoaded(): boolean {
  return detect !== undefined;
}

/** tinyld's guess (ISO 639-1 code, or "" when it cannot tell), tinyld loaded on the first call. */
export const guessLanguage: LanguageGuesser = (sample) => {
  // tinyld ships a CommonJS build: required synchronously, as the checker's calls are synchronous.
  detect ??= (createRequire(import.meta.url)('tinyld') as { detect: Detect }).detect;
  return detect(sample);
};

/**
 * The body's language, so a verdict on a non-English article can say that the model reads
 * English only. English is recognised cheaply from its function words (most bodies stop there);
 * anything else goes to a {@link LanguageGuesser} on the first 1,000 characters: the adapters give
 * tinyld's (a small, pure-JS detector; src/adapters/language/tinyld.ts), which they load only when the
 * first such text comes, as loading it costs a fresh process or worker thread more than a
 * tenth of a second (docs/BENCHMARKS.md). Returns an ISO 639-1 code, or "und" when the text is
 * too short to tell or no guesser was given.
 */

/** Guesses the language of a sample that is not plainly English: an ISO 639-1 code, or anything else when it cannot. */
export type LanguageGuesser = (sample: string) => string;

/** Undetermined: too little text to tell. */
export const UNDETERMINED = 'und';

const SAMPLE = 1000;
/** Fewer letter-words than this and we do not guess. */
const MIN_WORDS = 8;
/** Share of English function words above which a text is English without asking tinyld. */
const ENGLISH_SHARE = 0.2;
const ENGLISH_FUNCTION_WORDS = new Set(
  'the of and to a in is that for on it with as was by at from be this have are has an he his not but they said were which its or their who been had will'.split(
    ' ',
  ),
);

/**
 * ISO 639-1 code of the text's language, or "und". Pure and fast (~0.2 ms for English); a text
 * that is not plainly English is `guess`ed, and is "und" without a guesser.
 */
export function detectLanguage(text: string, guess?: LanguageGuesser): string {
  const sample = text.slice(0, SAMPLE);
  const words = sample.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < MIN_WORDS) return UNDETERMINED;
  let english = 0;
  for (const w of words) if (ENGLISH_FUNCTION_WORDS.has(w)) english++;
  if (english / words.length >= ENGLISH_SHARE) return 'en';
  if (!guess) return UNDETERMINED;
  const code = guess(sample);
  return /^[a-z]{2}$/.test(code) ? code : UNDETERMINED;
}

const names = new Intl.DisplayNames(['en'], { type: 'language' });
/** "Russian" for "ru"; the code itself when unknown. */
export function languageName(code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

import { stemmer } from 'stemmer';

/**
 * English function words that carry no topic. Negations ("not", "no", "never") are deliberately
 * absent: they carry stance.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most ' +
    'my myself of off on once only or other our ours ourselves out over own same she should so some such ' +
    'than that the their theirs them themselves then there these they this those through to too under ' +
    'until up very was we were what when where which while who whom why will with would you your yours ' +
    'yourself yourselves s t also said says say us mr mrs ms one two new would may might must shall'
  ).split(' '),
);

/** A word: letters and digits, with inner apostrophes ("don't", "O’Brien"). Global: copy it for exec loops. */
export const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** A lower-cased matched word as a token: "'s" dropped, other straight apostrophes removed ('' when nothing is left). */
export function wordToken(w: string): string {
  if (w.endsWith("'s")) return w.slice(0, -2);
  if (w.includes("'")) return w.replace(/'/g, '');
  return w;
}

/** Lower-cased word tokens (letters and digits; inner apostrophes kept, "'s" dropped). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  // The matched words only (no match objects): the same words as matchAll's, in order.
  const words = text.toLowerCase().match(WORD);
  if (words === null) return out;
  for (const m of words) {
    const w = wordToken(m);
    if (w.length > 0) out.push(w);
  }
  return out;
}

const stemCache = new Map<string, string>();

/**
 * Words longer than this are not stemmed (they are kept as they are): no English word is, and the
 * stemmer's regular expressions overflow the stack on tokens of megabytes. FNC-1's longest is 36.
 */
export const MAX_STEM_LENGTH = 64;

/** Porter stem of a lower-cased word (memoised; the cache is bounded). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = word.length <= 2 || word.length > MAX_STEM_LENGTH ? word : stemmer(word);
    if (stemCache.size > 500_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/** True for a stop word. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Stems of the content words (stop words removed). */
export function contentStems(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tokens) if (!STOPWORDS.has(t)) out.push(stem(t));
  return out;
}

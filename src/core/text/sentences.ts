/**
 * Splits normalised text into sentences: at . ! ? (and closing quotes after them) followed by
 * white space and an upper-case letter, digit or quote, and at every line break (paragraphs,
 * list items). Common abbreviations (Mr., Dr., U.S., Jan.) and initials do not end a sentence.
 *
 * One left-to-right scan, linear in the length of the text: a run of . ! ? is looked at once, and
 * the abbreviation test reads back only over the word before the full stop.
 */
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres inc ltd co corp ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec vs etc no fig est approx dept univ ave blvd'
  ).split(' '),
);

/** Longer runs of words without a sentence end are cut into pieces of this many words. */
const MAX_WORDS = 80;
const PIECE_WORDS = 60;

const isEnder = (c: string | undefined): boolean => c === '.' || c === '!' || c === '?';
const isCloser = (c: string | undefined): boolean => c === '"' || c === "'" || c === ')' || c === ']';
const isOpener = (c: string | undefined): boolean => c === '"' || c === "'" || c === '(' || c === '[';
const SPACE = /^\s$/u;
const isSpace = (c: string | undefined): boolean => c === ' ' || (c !== undefined && SPACE.test(c));
const NEXT_ENDER = /[.!?]/g;
const STARTER = /^[\p{Lu}\p{N}]$/u;
const LETTER = /^\p{L}$/u;
const INITIALS = /^(?:\p{L}\.)*\p{L}$/u;
const DOTTED = /^(?:\p{L}\.)+\p{L}?$/u;

/** The code point starting at `i` as a string ('' at the end). */
function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/** Start of the code point that ends just before `i` (surrogate pairs count as one). */
function prevStart(s: string, i: number): number {
  const lo = s.charCodeAt(i - 1);
  if (i >= 2 && lo >= 0xdc00 && lo <= 0xdfff) {
    const hi = s.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return i - 2;
  }
  return i - 1;
}

/**
 * True when the sentence candidate `line[start, end)` (ending in enders and closers) ends with an
 * abbreviation or initials: "Mr.", "J.", "U.S.", "e.g." preceded by the start, a space or "(".
 */
function endsWithAbbreviation(line: string, start: number, end: number): boolean {
  let dot = end;
  while (dot > start && isCloser(line[dot - 1])) dot--;
  dot--;
  if (dot < start || line[dot] !== '.') return false;
  // The word before the final full stop: letters and dots, back to the chunk start, a space or "(".
  let from = dot;
  while (from > start) {
    const c = line.charCodeAt(from - 1);
    if (c === 0x2e || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      from--;
      continue;
    }
    if (c < 0x80) break;
    const p = prevStart(line, from);
    if (!LETTER.test(line.slice(p, from))) break;
    from = p;
  }
  if (from === dot) return false;
  if (from > start && line[from - 1] !== '(' && !isSpace(line[from - 1])) return false;
  const word = line.slice(from, dot).toLowerCase();
  return ABBREVIATIONS.has(word) || INITIALS.test(word) || DOTTED.test(word);
}

/** Sentences of `text`, trimmed, empty ones dropped. Very long run-ons are cut at 80 words. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    let start = 0;
    let i = 0;
    while (i < line.length) {
      NEXT_ENDER.lastIndex = i;
      if (NEXT_ENDER.exec(line) === null) break;
      i = NEXT_ENDER.lastIndex - 1;
      // A boundary: enders, closers, white space, then an optional opener and a capital or digit.
      let end = i;
      while (isEnder(line[end])) end++;
      while (isCloser(line[end])) end++;
      let next = end;
      while (isSpace(line[next])) next++;
      i = next > end ? next : end;
      if (next === end) continue;
      const first = isOpener(line[next]) ? next + 1 : next;
      if (!STARTER.test(charAt(line, first))) continue;
      if (endsWithAbbreviation(line, start, end)) continue;
      pushCut(out, line.slice(start, end).trim());
      start = next;
    }
    pushCut(out, line.slice(start).trim());
  }
  return out;
}

function pushCut(out: string[], s: string): void {
  if (s === '') return;
  const words = s.split(' ');
  if (words.length <= MAX_WORDS) {
    out.push(s);
    return;
  }
  for (let i = 0; i < words.length; i += PIECE_WORDS) out.push(words.slice(i, i + PIECE_WORDS).join(' '));
}

/**
 * Boilerplate that is part of a scraped article's text but not of its story: URLs and their slugs
 * ("police-chief-commits-suicide"), e-mail addresses, "See more at:", "Source: …", "Follow us on",
 * "Read more", "Click here", bylines ("By Jane Doe, Reuters"), list headings ("From CBS Tampa
 * Bay:"), photo credits ("Photo: AP", "Image copyright Getty Images").
 *
 * `maskBoilerplate` blanks it out with spaces of the same length, so the sentence keeps its text
 * (for display) and its UTF-16 offsets, while tokens, overlap, alignment and evidence never see the
 * boilerplate. Pure; linear in the text length (no nested quantifiers).
 */

const TLDS = new Set([
  'com',
  'org',
  'net',
  'uk',
  'co',
  'info',
  'gov',
  'edu',
  'news',
  'tv',
  'io',
  'ly',
  'me',
  'us',
]);
const HOST = /^[\w.-]+$/u;

/**
 * Is a white-space-delimited chunk a URL, a web address with a path ("example.com/a-slug") or an
 * e-mail address? Plain string scans, no backtracking: linear in the chunk.
 */
function isLinkChunk(chunk: string): boolean {
  if (chunk.length > 2048) return false; // no real address is that long
  const c = chunk.replace(/^[("'<[]+/u, '');
  const start = c.slice(0, 8).toLowerCase();
  if (start.startsWith('http://') || start.startsWith('https://') || start.startsWith('www.'))
    return c.length > 7;
  const slash = c.indexOf('/');
  const at = c.indexOf('@');
  const host = slash > 0 ? c.slice(0, slash) : at > 0 ? c.slice(at + 1).replace(/[)"'>\].,;:!?]+$/u, '') : '';
  if (host === '' || !HOST.test(host)) return false;
  const dot = host.lastIndexOf('.');
  if (dot <= 0) return false;
  if (slash > 0) return TLDS.has(host.slice(dot + 1).toLowerCase());
  return at > 0 && /^[\w.+-]+$/u.test(c.slice(0, at)) && dot < host.length - 1;
}

/**
 * Can `s` hold a link chunk at all? Every chunk {@link isLinkChunk} accepts has a "/", an "@" or
 * starts with "www." (any case), so a text with none of them has no link: most sentences are
 * ruled out by three scans instead of a test of every word.
 */
function mayHaveLink(s: string): boolean {
  return s.includes('/') || s.includes('@') || /www\./iu.test(s);
}

/** Applies `f` to each link chunk of `s`; returns whether there was one. */
function eachLink(s: string, f?: (start: number, end: number) => void): boolean {
  if (!mayHaveLink(s)) return false;
  let found = false;
  for (const m of s.matchAll(/\S+/gu)) {
    if (isLinkChunk(m[0])) {
      found = true;
      if (!f) return true;
      f(m.index, m.index + m[0].length);
    }
  }
  return found;
}

const LEAD = String.raw`^[\s\-•*>|]*`;
/** Sentences that are site furniture, recognised by how they start. */
const FURNITURE = new RegExp(
  LEAD +
    String.raw`(?:see more at|read more|read the full|continue reading|more at|h\/t|hat tip|follow us|like us on|click here|tap here|share this|share on|sign up|subscribe|advertisement|sponsored content|related stories|related articles|tags|filed under|posted in|copyright|©|all rights reserved|image copyright|image caption|photo(?:graph)? credit|pictured above|editor's note|editing by|reporting by|additional reporting|written by|posted by|story by|words by)\b`,
  'iu',
);
/** Starts that are furniture only as a label ("Source: …", "Photo: AP") or on a link line. */
const LABELS = new RegExp(
  LEAD +
    String.raw`(?:source|sources|via|photo|photos|image|picture|video|watch|credit|caption|related|from)\b[^:.!?]{0,40}:`,
  'iu',
);

/** Phrases that make a short sentence a credit line wherever they stand. */
const CREDIT =
  /\b(?:getty images|shutterstock|afp\/getty|ap photo|reuters\/|epa\/|photo by|image by|pictured:|file photo)\b/iu;

/** "By Jane Doe", "By Jane Doe and John Roe, Reuters", "By JANE DOE | Staff writer". */
const NAME = String.raw`\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,3}`;
const BYLINE = new RegExp(
  String.raw`^[Bb][Yy]\s+${NAME}(?:\s+(?:and|&)\s+${NAME})?\s*(?:[,|-][^.!?]{0,60})?$`,
  'u',
);

function blank(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

/** Number of words in `s`, counting no further than `cap` (no allocation of all words). */
function wordCount(s: string, cap: number): number {
  const re = /[\p{L}\p{N}]+/gu;
  let n = 0;
  while (n <= cap && re.exec(s) !== null) n++;
  return n;
}

/** True when the whole sentence is boilerplate (site furniture, a byline, a credit, a bare link, a list heading). */
export function isBoilerplate(sentence: string): boolean {
  const s = sentence.trim();
  if (s === '') return false;
  const words = wordCount(s, 31);
  const link = eachLink(s);
  const head = s.slice(0, 200);
  if (FURNITURE.test(head) && (words <= 30 || link)) return true;
  if (LABELS.test(head) && (words <= 30 || link)) return true;
  if (words <= 12 && s.length <= 300 && CREDIT.test(s)) return true;
  if (words <= 12 && s.length <= 200 && BYLINE.test(s)) return true;
  // A short line ending in a colon is a heading ("From CBS Tampa Bay:", "What we know:").
  if (words <= 8 && /:\s*$/u.test(s)) return true;
  // Nothing but links.
  if (!link) return false;
  let rest = '';
  let at = 0;
  eachLink(s, (start, end) => {
    rest += s.slice(at, start);
    at = end;
  });
  return wordCount(rest + s.slice(at), 1) === 0;
}

/** The sentence with boilerplate blanked to spaces (same length, same offsets). */
export function maskBoilerplate(sentence: string): string {
  if (isBoilerplate(sentence)) return blank(sentence);
  let out = '';
  let at = 0;
  eachLink(sentence, (start, end) => {
    out += sentence.slice(at, start) + ' '.repeat(end - start);
    at = end;
  });
  return at === 0 ? sentence : out + sentence.slice(at);
}

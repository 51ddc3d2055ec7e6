/**
 * Turns the plain-text input format into an {@link Article}: the first non-empty line is the
 * headline, an optional second line is a subtitle (standfirst) when it reads as one, and the rest
 * is the body. Pure: no I/O.
 */
import { StanceError } from './errors.js';
import { normalizeText } from './text/normalize.js';
import { assertReadableText } from './text/readable.js';
import type { Article } from './verdict.js';

/** A subtitle has at most this many words. */
export const MAX_SUBTITLE_WORDS = 30;

function wordCount(s: string): number {
  return s.split(/\s+/).filter((w) => w.length > 0).length;
}

/** True when `line` reads as a standfirst: short and not ending as a full sentence. */
function readsAsSubtitle(line: string): boolean {
  const words = wordCount(line);
  if (words === 0 || words > MAX_SUBTITLE_WORDS) return false;
  // A final full stop (possibly inside a closing quote/bracket) marks body prose, not a standfirst.
  return !/\.["')\]]*$/.test(line) || /\.\.\.$/.test(line);
}

/**
 * Parses an article in the input format (headline line, optional subtitle line, body).
 *
 * @example
 * parseArticle('Cat elected mayor\nVoters shrug\n\nThe town of ...')
 * // → { headline: 'Cat elected mayor', subtitle: 'Voters shrug', body: 'The town of ...' }
 * @throws StanceError INPUT_EMPTY when the headline or the body is empty; INPUT_ENCODING when the
 * text is mostly control characters (see text/readable.ts).
 */
export function parseArticle(text: string): Article {
  assertReadableText(text, 'article');
  const lines = normalizeText(text).split('\n');
  let i = 0;
  while (i < lines.length && (lines[i] ?? '') === '') i++;
  const headline = lines[i] ?? '';
  if (headline === '') {
    throw new StanceError(
      'INPUT_EMPTY',
      'expected an article (headline line, then body); found empty input',
      {
        field: 'headline',
      },
    );
  }
  i++;
  // The candidate subtitle is the very next line (no blank line between headline and subtitle is
  // required, but one is tolerated).
  let j = i;
  while (j < lines.length && (lines[j] ?? '') === '') j++;
  const candidate = lines[j] ?? '';
  const restAfterCandidate = lines
    .slice(j + 1)
    .join('\n')
    .trim();
  let subtitle: string | undefined;
  let body: string;
  if (candidate !== '' && restAfterCandidate !== '' && readsAsSubtitle(candidate)) {
    subtitle = candidate;
    body = restAfterCandidate;
  } else {
    body = lines.slice(i).join('\n').trim();
  }
  if (body === '') {
    throw new StanceError(
      'INPUT_EMPTY',
      `expected a body after the headline; found only the headline "${clip(headline)}"`,
      { field: 'body' },
    );
  }
  return subtitle === undefined ? { headline, body } : { headline, subtitle, body };
}

function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const SHAPE = '{"headline": string, "body": string[, "subtitle": string]}';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.trim() === '' ? 'an empty string' : 'a string';
  return typeof v === 'object' ? 'an object' : typeof v === 'undefined' ? 'nothing' : `a ${typeof v}`;
}

function field(obj: Record<string, unknown>, name: string, optional: boolean): string | undefined {
  const v = obj[name];
  if (typeof v === 'string') return v;
  if (v === undefined && !Object.hasOwn(obj, name)) {
    if (optional) return undefined;
    const keys = Object.keys(obj);
    const found = keys.length === 0 ? 'an empty object' : `fields ${keys.slice(0, 8).join(', ')}`;
    throw new StanceError('INPUT_FORMAT', `missing field "${name}"; expected ${SHAPE}, found ${found}`, {
      field: name,
    });
  }
  if (optional && (v === null || v === undefined)) return undefined;
  throw new StanceError('INPUT_FORMAT', `field "${name}" must be a string; got ${describe(v)}`, {
    field: name,
  });
}

function nonEmpty(text: string, raw: string, name: string): string {
  if (text !== '') return text;
  const found = raw === '' ? 'an empty string' : 'only blank or invisible characters';
  throw new StanceError('INPUT_EMPTY', `expected a non-empty "${name}"; found ${found}`, { field: name });
}

/**
 * The one validate-and-normalise step for an article given as fields (a JSON object, HTTP
 * request, CLI options or library call): checks the shape `{"headline", "body"[, "subtitle"]}`,
 * normalises each text once (headline and subtitle on one line) and refuses empty ones. The result
 * is already normalised; normalising it again changes nothing, so the checker accepts it as is.
 *
 * @example
 * toArticle({ headline: '\u201CCat\u201D elected', body: 'The town\r\nvoted.' })
 * // → { headline: '"Cat" elected', body: 'The town\nvoted.' }
 * @throws StanceError INPUT_FORMAT (with `field`) when the value is not an object or a field is
 * missing or not a string; INPUT_EMPTY (with `field`) when the headline or body is empty after
 * normalisation. An empty or null subtitle is dropped.
 */
export function toArticle(input: unknown): Article {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new StanceError('INPUT_FORMAT', `expected a JSON object ${SHAPE}; got ${describe(input)}`);
  }
  const obj = input as Record<string, unknown>;
  const rawHeadline = field(obj, 'headline', false) ?? '';
  const rawBody = field(obj, 'body', false) ?? '';
  const rawSubtitle = field(obj, 'subtitle', true);
  assertReadableText(rawHeadline, 'headline');
  assertReadableText(rawBody, 'body');
  const headline = nonEmpty(normalizeText(rawHeadline).replace(/\n+/g, ' '), rawHeadline, 'headline');
  const body = nonEmpty(normalizeText(rawBody), rawBody, 'body');
  const subtitle = rawSubtitle === undefined ? '' : normalizeText(rawSubtitle).replace(/\n+/g, ' ');
  return subtitle === '' ? { headline, body } : { headline, subtitle, body };
}

/** The same as {@link toArticle} (its earlier name). */
export const parseArticleJson: (obj: unknown) => Article = toArticle;

/**
 * Turns the plain-text input format into an {@link Article}: the first non-empty line is the
 * headline, an optional second line is a subtitle (standfirst) when it reads as one, and the rest
 * is the body. Pure: no I/O.
 */
import { z } from 'zod';
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

const ArticleJson = z.object({
  headline: z.string(),
  body: z.string(),
  subtitle: z.string().optional().nullable(),
});

/**
 * Validates a parsed JSON object `{"headline", "body"[, "subtitle"]}` and normalises its texts.
 *
 * @throws StanceError INPUT_FORMAT when a field is missing or not a string; INPUT_EMPTY when the
 * headline or body is empty after normalisation.
 */
export function parseArticleJson(obj: unknown): Article {
  const r = ArticleJson.safeParse(obj);
  if (!r.success) {
    const found =
      obj !== null && typeof obj === 'object' && !Array.isArray(obj)
        ? Object.keys(obj).join(', ') || '(no fields)'
        : Array.isArray(obj)
          ? 'an array'
          : typeof obj;
    const problems = r.error.issues
      .map((iss) => `${iss.path.join('.') || '(root)'}: ${iss.message}`)
      .join('; ');
    throw new StanceError(
      'INPUT_FORMAT',
      `expected a JSON object {"headline": string, "body": string[, "subtitle": string]}; found ${found} (${problems})`,
    );
  }
  assertReadableText(r.data.headline, 'headline');
  assertReadableText(r.data.body, 'body');
  const headline = normalizeText(r.data.headline).replace(/\n+/g, ' ');
  const body = normalizeText(r.data.body);
  const subtitle = r.data.subtitle == null ? '' : normalizeText(r.data.subtitle).replace(/\n+/g, ' ');
  if (headline === '') {
    throw new StanceError(
      'INPUT_EMPTY',
      'expected a non-empty "headline"; found an empty string',
      {
        field: 'headline',
      },
    );
  }
  if (body === '') {
    throw new StanceError('INPUT_EMPTY', 'expected a non-empty "body"; found an empty string', {
      field: 'body',
    });
  }
  return subtitle === '' ? { headline, body } : { headline, subtitle, body };
}

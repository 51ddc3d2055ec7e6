/**
 * Turns an article page's HTML into an {@link Article}: the headline from og:title, the first
 * h1 or the title; the subtitle from og:description or a standfirst; the body from Mozilla
 * Readability run over a linkedom document. A pure function of the string: nothing is fetched.
 *
 * Bounded: Readability and linkedom take time that grows much faster than the page on deeply
 * nested elements (1,000 nested <div>s: 15 s and more). A linear first pass (htmlparser2's
 * tokenizer, stopped as soon as a limit is passed) measures nesting depth and element count;
 * pages beyond {@link HTML_LIMITS} get a plain-text extraction in one linear scan instead.
 */
import { Readability } from '@mozilla/readability';
import { Parser } from 'htmlparser2';
import { parseHTML } from 'linkedom';
import { StanceError } from '../../core/errors.js';
import { decodeEntities, normalizeText } from '../../core/text/normalize.js';
import type { Article } from '../../core/verdict.js';

/** Elements after which the text starts a new paragraph. */
const BLOCK_TAGS = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DIV',
  'DL',
  'DT',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TD',
  'TH',
  'TR',
  'UL',
]);
const SKIP_TAGS = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'IFRAME',
  'BUTTON',
  'FORM',
  'NAV',
]);

/** Class names that mark a standfirst (the sentence under the headline). */
const STANDFIRST =
  /(?:^|[\s_-])(standfirst|subtitle|sub-title|subheadline|sub-headline|subhead|dek|strapline)(?:$|[\s_-])/i;

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** Text of a subtree with paragraph breaks kept: blocks become blank-line separated, <br> a newline. */
function blockText(root: DomNode): string {
  const out: string[] = [];
  // Iterative walk (no recursion depth); a string entry is text to emit after a block's children.
  const stack: (DomNode | string)[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as DomNode | string;
    if (typeof n === 'string') {
      out.push(n);
      continue;
    }
    if (n.nodeType === 3) {
      out.push((n.textContent ?? '').replace(/\s+/g, ' '));
      continue;
    }
    if (n.nodeType !== 1 && n.nodeType !== 9 && n.nodeType !== 11) continue;
    const tag = n.nodeName.toUpperCase();
    if (SKIP_TAGS.has(tag)) continue;
    if (tag === 'BR') {
      out.push('\n');
      continue;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) {
      out.push('\n\n');
      stack.push('\n\n');
    }
    // linkedom builds childNodes afresh on each access: read it once.
    const children = n.childNodes;
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c) stack.push(c);
    }
  }
  return normalizeText(out.join(''));
}

/** Pages beyond these go to the plain-text extraction instead of linkedom and Readability. */
export const HTML_LIMITS = {
  /** Element nesting depth (real article pages stay well under 40). */
  maxDepth: 80,
  /** Elements in the page (Readability takes seconds on pages of tens of thousands). */
  maxElements: 15_000,
} as const;

const STOP = Symbol('html limits passed');

/** True when the page nests deeper or has more elements than {@link HTML_LIMITS}. Linear, stops early. */
function beyondLimits(html: string): boolean {
  let depth = 0;
  let elements = 0;
  const parser = new Parser(
    {
      onopentagname() {
        depth++;
        elements++;
        // STOP is a sentinel that ends the probe early; it never leaves this function.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (depth > HTML_LIMITS.maxDepth || elements > HTML_LIMITS.maxElements) throw STOP;
      },
      onclosetag() {
        depth--;
      },
    },
    { decodeEntities: false },
  );
  try {
    parser.end(html);
  } catch (e) {
    if (e === STOP) return true;
    throw e;
  }
  return false;
}

const TEXT_SKIP = ['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'textarea'];
const TAG_NAME = /^<\/?([a-zA-Z][a-zA-Z0-9-]*)/;

/**
 * Plain text of a page in one left-to-right scan (for pages too deep or large for a DOM): tags
 * dropped, block elements as paragraph breaks, script-like elements skipped; the <title>, the
 * first <h1> and og:title are kept apart. Linear in the length of the page.
 */
export function plainTextOf(html: string): { ogTitle: string; title: string; h1: string; text: string } {
  const out: string[] = [];
  let title = '';
  let ogTitle = '';
  let h1: string[] | undefined;
  let h1Done = false;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    if (textEnd > i) {
      const t = html.slice(i, textEnd).replace(/\s+/g, ' ');
      out.push(t);
      if (h1 && !h1Done) h1.push(t);
    }
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    const tagEnd = gt < 0 ? html.length : gt + 1;
    const m = TAG_NAME.exec(html.slice(lt, Math.min(tagEnd, lt + 64)));
    i = tagEnd;
    if (!m || m[1] === undefined) continue;
    const name = m[1].toLowerCase();
    const closing = html[lt + 1] === '/';
    if (!closing && (TEXT_SKIP.includes(name) || name === 'title')) {
      const close = new RegExp(`</${name}\\s*>`, 'gi');
      close.lastIndex = tagEnd;
      const c = close.exec(html);
      if (name === 'title' && title === '')
        title = clean(decodeEntities(html.slice(tagEnd, c ? c.index : html.length)));
      i = c ? close.lastIndex : html.length;
      continue;
    }
    if (name === 'meta' && ogTitle === '') {
      const tag = html.slice(lt, tagEnd);
      if (/(?:property|name)\s*=\s*["']?og:title["'\s>]/i.test(tag)) {
        const c = /content\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(tag);
        ogTitle = clean(decodeEntities(c?.[1] ?? c?.[2] ?? ''));
      }
    }
    if (name === 'h1' && !h1Done) {
      if (!closing && !h1) h1 = [];
      else if (closing && h1) h1Done = true;
    }
    if (name === 'br') out.push('\n');
    // One paragraph break for a run of block tags (normalizeText would collapse them anyway).
    else if (BLOCK_TAGS.has(name.toUpperCase()) && out[out.length - 1] !== '\n\n') out.push('\n\n');
  }
  return {
    ogTitle,
    title,
    h1: clean(decodeEntities((h1 ?? []).join(''))),
    text: normalizeText(out.join('')),
  };
}

/** The article of a page too deep or large for Readability: its text, without the headline. */
function plainArticle(html: string): Article {
  const { ogTitle, title, h1, text } = plainTextOf(html);
  const headline = ogTitle || h1 || title;
  if (headline === '') {
    throw new StanceError('INPUT_EMPTY', 'found no headline in the HTML (no og:title, <h1> or <title>)', {
      field: 'html',
    });
  }
  const body = text
    .split('\n\n')
    .filter((p) => p !== headline && p !== h1 && p !== title)
    .join('\n\n');
  if (body === '')
    throw new StanceError('INPUT_EMPTY', 'found no article text in the HTML', { field: 'html' });
  return { headline, body };
}

function clean(s: string | null | undefined): string {
  return normalizeText((s ?? '').replace(/\s+/g, ' '));
}

function meta(document: Document, ...keys: string[]): string {
  for (const key of keys) {
    const el =
      document.querySelector(`meta[property="${key}"]`) ?? document.querySelector(`meta[name="${key}"]`);
    const v = clean(el?.getAttribute('content'));
    if (v) return v;
  }
  return '';
}

/** Standfirst candidates looked at, at most. */
const MAX_STANDFIRST_CANDIDATES = 20;

function findStandfirst(document: Document): string {
  let candidates = 0;
  for (const el of Array.from(document.querySelectorAll('[class]'))) {
    const cls = el.getAttribute('class') ?? '';
    if (!STANDFIRST.test(cls)) continue;
    if (++candidates > MAX_STANDFIRST_CANDIDATES) break;
    const text = clean(el.textContent);
    if (text.length >= 10 && text.length <= 600) return text;
  }
  return '';
}

/** Cookie and consent banners, newsletter and paywall boxes: never article text. */
const NOT_ARTICLE =
  /(?:^|[\s_-])(?:cookie|cookies|consent|gdpr|cmp|onetrust|didomi|newsletter|paywall|subscribe|social-share|share-bar)(?:$|[\s_-])/i;

/** Removes non-article blocks: consent/cookie banners, dialogs, newsletter and paywall boxes. */
function dropNonArticle(document: Document): void {
  for (const el of Array.from(
    document.querySelectorAll('[class], [id], [role="dialog"], [aria-modal="true"]'),
  )) {
    const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (
      NOT_ARTICLE.test(names) ||
      el.getAttribute('role') === 'dialog' ||
      el.getAttribute('aria-modal') === 'true'
    )
      el.remove();
  }
  // A page that marks its article: keep only the longest <article> (related-story cards are short).
  let best: Element | undefined;
  let bestLength = 0;
  for (const el of Array.from(document.querySelectorAll('article'))) {
    const n = (el.textContent ?? '').length;
    if (n > bestLength) [best, bestLength] = [el, n];
  }
  if (best && bestLength >= 200 && document.body) document.body.replaceChildren(best);
}

/** linkedom needs an <html> element to build a usable tree; wrap fragments in one. */
function asDocument(html: string): string {
  return /<html[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
}

/**
 * Extracts the headline, optional subtitle and article text from an HTML page.
 *
 * @throws StanceError INPUT_EMPTY when the page has no headline or no article text.
 * @example
 *   extractArticle('<title>Dam holds</title><article><p>The dam held overnight, officials said.</p></article>')
 *   // → { headline: 'Dam holds', body: 'The dam held overnight, officials said.' }
 */
export function extractArticle(html: string): Article {
  if (html.trim() === '')
    throw new StanceError('INPUT_EMPTY', 'the HTML is empty; expected an article page', { field: 'html' });
  if (beyondLimits(html)) return plainArticle(html);
  const page = asDocument(html);
  const { document } = parseHTML(page);
  const doc = document;

  const h1 = clean(doc.querySelector('h1')?.textContent);
  const headline = meta(doc, 'og:title') || h1 || clean(doc.querySelector('title')?.textContent);
  let subtitle = meta(doc, 'og:description') || findStandfirst(doc);
  if (subtitle === headline) subtitle = '';

  dropNonArticle(doc);
  let body = '';
  try {
    const parsed = new Readability<DomNode>(doc, {
      serializer: (node) => node,
    }).parse();
    if (parsed?.content) body = blockText(parsed.content);
  } catch {
    body = '';
  }
  if (body === '') {
    // Readability found nothing: fall back to every paragraph in the page.
    const { document: again } = parseHTML(page);
    dropNonArticle(again);
    const paras = Array.from(again.querySelectorAll('p'))
      .map((p) => clean(p.textContent))
      .filter((t) => t !== '');
    body = paras.join('\n\n');
    if (body === '' && again.body) {
      // No paragraphs either: take the page's text, without the headline itself.
      body = blockText(again.body as unknown as DomNode)
        .split('\n\n')
        .filter((p) => p !== headline && p !== h1)
        .join('\n\n');
    }
  }
  // Readability sometimes keeps the headline as the first paragraph; it is not body text.
  const paras = body.split('\n\n');
  if (paras.length > 1 && (paras[0] === headline || paras[0] === h1)) body = paras.slice(1).join('\n\n');
  if (headline === '') {
    throw new StanceError('INPUT_EMPTY', 'found no headline in the HTML (no og:title, <h1> or <title>)', {
      field: 'html',
    });
  }
  if (body === '')
    throw new StanceError('INPUT_EMPTY', 'found no article text in the HTML (no paragraphs)', {
      field: 'html',
    });
  return subtitle ? { headline, subtitle, body } : { headline, body };
}

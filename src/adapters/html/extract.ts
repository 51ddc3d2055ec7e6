/**
 * Turns an article page's HTML into an {@link Article}: the headline from og:title, the first
 * h1 or the title; the subtitle from og:description or a standfirst; the body from Mozilla
 * Readability run over a linkedom document. A pure function of the string: nothing is fetched.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { StanceError } from '../../core/errors.js';
import { normalizeText } from '../../core/text/normalize.js';
import type { Article } from '../../core/verdict.js';

/** Elements after which the text starts a new paragraph. */
const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE', 'SECTION', 'TABLE',
  'TD', 'TH', 'TR', 'UL',
]);
const SKIP_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'BUTTON', 'FORM', 'NAV']);

/** Class names that mark a standfirst (the sentence under the headline). */
const STANDFIRST = /(?:^|[\s_-])(standfirst|subtitle|sub-title|subheadline|sub-headline|subhead|dek|strapline)(?:$|[\s_-])/i;

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** Text of a subtree with paragraph breaks kept: blocks become blank-line separated, <br> a newline. */
function blockText(root: DomNode): string {
  const out: string[] = [];
  const walk = (n: DomNode): void => {
    if (n.nodeType === 3) {
      out.push((n.textContent ?? '').replace(/\s+/g, ' '));
      return;
    }
    if (n.nodeType !== 1 && n.nodeType !== 9 && n.nodeType !== 11) return;
    const tag = n.nodeName.toUpperCase();
    if (SKIP_TAGS.has(tag)) return;
    if (tag === 'BR') {
      out.push('\n');
      return;
    }
    const block = BLOCK_TAGS.has(tag);
    if (block) out.push('\n\n');
    for (let i = 0; i < n.childNodes.length; i++) {
      const c = n.childNodes[i];
      if (c) walk(c);
    }
    if (block) out.push('\n\n');
  };
  walk(root);
  return normalizeText(out.join(''));
}

function clean(s: string | null | undefined): string {
  return normalizeText((s ?? '').replace(/\s+/g, ' '));
}

function meta(document: Document, ...keys: string[]): string {
  for (const key of keys) {
    const el = document.querySelector(`meta[property="${key}"]`) ?? document.querySelector(`meta[name="${key}"]`);
    const v = clean(el?.getAttribute('content'));
    if (v) return v;
  }
  return '';
}

function findStandfirst(document: Document): string {
  for (const el of Array.from(document.querySelectorAll('[class]'))) {
    const cls = el.getAttribute('class') ?? '';
    if (!STANDFIRST.test(cls)) continue;
    const text = clean(el.textContent);
    if (text.length >= 10 && text.length <= 600) return text;
  }
  return '';
}

/** Cookie and consent banners, newsletter and paywall boxes: never article text. */
const NOT_ARTICLE = /(?:^|[\s_-])(?:cookie|cookies|consent|gdpr|cmp|onetrust|didomi|newsletter|paywall|subscribe|social-share|share-bar)(?:$|[\s_-])/i;

/** Removes non-article blocks: consent/cookie banners, dialogs, newsletter and paywall boxes. */
function dropNonArticle(document: Document): void {
  for (const el of Array.from(document.querySelectorAll('[class], [id], [role="dialog"], [aria-modal="true"]'))) {
    const names = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (NOT_ARTICLE.test(names) || el.getAttribute('role') === 'dialog' || el.getAttribute('aria-modal') === 'true') el.remove();
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
  if (html.trim() === '') throw new StanceError('INPUT_EMPTY', 'the HTML is empty; expected an article page', { field: 'html' });
  const page = asDocument(html);
  const { document } = parseHTML(page);
  const doc = document as unknown as Document;

  const h1 = clean(doc.querySelector('h1')?.textContent);
  const headline = meta(doc, 'og:title') || h1 || clean(doc.querySelector('title')?.textContent);
  let subtitle = meta(doc, 'og:description') || findStandfirst(doc);
  if (subtitle === headline) subtitle = '';

  dropNonArticle(doc);
  let body = '';
  try {
    const parsed = new Readability<DomNode>(doc, { serializer: (node) => node as unknown as DomNode }).parse();
    if (parsed?.content) body = blockText(parsed.content);
  } catch {
    body = '';
  }
  if (body === '') {
    // Readability found nothing: fall back to every paragraph in the page.
    const { document: again } = parseHTML(page);
    dropNonArticle(again as unknown as Document);
    const paras = Array.from((again as unknown as Document).querySelectorAll('p'))
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
    throw new StanceError('INPUT_EMPTY', 'found no headline in the HTML (no og:title, <h1> or <title>)', { field: 'html' });
  }
  if (body === '') throw new StanceError('INPUT_EMPTY', 'found no article text in the HTML (no paragraphs)', { field: 'html' });
  return subtitle ? { headline, subtitle, body } : { headline, body };
}

/**
 * Fetching article pages and RSS/Atom feeds over http(s): a timeout, a size limit, a bounded number
 * of redirects, and a clear FETCH_FAILED error per URL.
 */
import { StanceError } from '../../core/errors.js';
import { decodeUtf8 } from '../fs/read-input.js';

export interface FetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
}

export const FETCH_DEFAULTS = { timeoutMs: 15_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 } as const;

/** A fetched document. */
export interface Fetched {
  url: string;
  contentType: string;
  text: string;
}

function fail(url: string, why: string, cause?: unknown): StanceError {
  return new StanceError(
    'FETCH_FAILED',
    `cannot fetch ${url}: ${why}`,
    { file: url },
    cause ? { cause } : undefined,
  );
}

/** Fetches `url` (http or https only) as text. */
export async function fetchText(url: string, options: FetchOptions = {}): Promise<Fetched> {
  const timeoutMs = options.timeoutMs ?? FETCH_DEFAULTS.timeoutMs;
  const maxBytes = options.maxBytes ?? FETCH_DEFAULTS.maxBytes;
  const maxRedirects = options.maxRedirects ?? FETCH_DEFAULTS.maxRedirects;
  const signal = AbortSignal.timeout(timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    let u: URL;
    try {
      u = new URL(current);
    } catch {
      throw fail(current, 'expected an http(s) URL; found an invalid one');
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw fail(current, `expected an http(s) URL; found ${u.protocol}`);
    let res: Response;
    try {
      res = await fetch(u, {
        redirect: 'manual',
        signal,
        headers: {
          'user-agent': 'stancecheck-corpus/1',
          accept:
            'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5',
        },
      });
    } catch (e) {
      const timedOut = signal.aborted;
      throw fail(
        url,
        timedOut
          ? `no complete answer within ${timeoutMs} ms`
          : `${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`,
        e,
      );
    }
    if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
      await res.body?.cancel().catch(() => undefined);
      if (hop >= maxRedirects) throw fail(url, `more than ${maxRedirects} redirects`);
      current = new URL(res.headers.get('location') as string, u).toString();
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw fail(url, `the server answered HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw fail(url, `the page is ${declared} bytes, over the limit of ${maxBytes}`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      if (res.body) {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength;
          if (size > maxBytes) {
            await res.body.cancel().catch(() => undefined);
            throw fail(url, `the page is over the limit of ${maxBytes} bytes`);
          }
          chunks.push(chunk);
        }
      }
    } catch (e) {
      if (e instanceof StanceError) throw e;
      throw fail(url, signal.aborted ? `no complete answer within ${timeoutMs} ms` : (e as Error).message, e);
    }
    const bytes = Buffer.concat(chunks);
    let text: string;
    try {
      text = decodeUtf8(bytes, current);
    } catch {
      text = new TextDecoder('latin1').decode(bytes);
    }
    return { url: current, contentType: res.headers.get('content-type') ?? '', text };
  }
}

/** True when a fetched document is an RSS or Atom feed rather than a page. */
export function isFeed(doc: Fetched): boolean {
  if (/(rss|atom)\+xml/i.test(doc.contentType)) return true;
  const head = doc.text.slice(0, 2000).trimStart();
  return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<(rss|feed|rdf:RDF)[\s>]/i.test(head);
}

const decodeXml = (s: string): string =>
  s
    .replace(/^<!\[CDATA\[([\s\S]*)\]\]>$/, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

/** A feed item: its link, and its title and date when the feed gives them. */
export interface FeedItem {
  link: string;
  title?: string;
  published?: string;
}

/** The items of an RSS 2.0 / RSS 1.0 / Atom feed (links resolved against the feed URL). */
export function feedItems(doc: Fetched, maxItems = 1000): FeedItem[] {
  const out: FeedItem[] = [];
  const itemRe = /<(item|entry)\b[\s\S]*?<\/\1>/gi;
  for (const m of doc.text.matchAll(itemRe)) {
    const x = m[0];
    let link = /<link\b[^>]*>([\s\S]*?)<\/link>/i.exec(x)?.[1];
    if (link === undefined || link.trim() === '') {
      const alt =
        /<link\b(?=[^>]*rel=["']alternate["'])[^>]*href=["']([^"']+)["']/i.exec(x)?.[1] ??
        /<link\b[^>]*href=["']([^"']+)["']/i.exec(x)?.[1];
      link = alt;
    }
    if (link === undefined) continue;
    let abs: string;
    try {
      abs = new URL(decodeXml(link), doc.url).toString();
    } catch {
      continue;
    }
    const item: FeedItem = { link: abs };
    const title = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(x)?.[1];
    if (title) item.title = decodeXml(title);
    const date = /<(pubDate|published|updated|dc:date)\b[^>]*>([\s\S]*?)<\/\1>/i.exec(x)?.[2];
    if (date) item.published = decodeXml(date);
    out.push(item);
    if (out.length >= maxItems) break;
  }
  return out;
}

/** Runs `f` over `items` with at most `limit` at once, yielding results in input order. */
export async function* mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  f: (t: T) => Promise<R>,
): AsyncGenerator<R> {
  const results: Promise<R>[] = [];
  let next = 0;
  const start = (): void => {
    if (next < items.length) {
      const i = next++;
      results[i] = f(items[i] as T);
    }
  };
  for (let k = 0; k < limit; k++) start();
  for (let i = 0; i < items.length; i++) {
    const r = await (results[i] as Promise<R>);
    start();
    yield r;
  }
}

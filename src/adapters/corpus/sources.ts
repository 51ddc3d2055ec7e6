/**
 * Ingest inputs → articles: JSONL files, FNC-1 bodies CSV files, folders (and single files) of
 * .txt / .html / .json articles, and http(s) URLs of article pages or RSS/Atom feeds.
 * Anything that cannot become an article is yielded as a Rejected item with where and why.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { parseArticle, parseArticleJson } from '../../core/article.js';
import { StanceError } from '../../core/errors.js';
import type { Article } from '../../core/verdict.js';
import { readBodies } from '../fs/fnc-csv.js';
import { readInput } from '../fs/read-input.js';
import type { ArticleInput, Rejected } from './corpus.js';
import { feedItems, fetchText, isFeed, mapBounded, type FetchOptions } from './fetch.js';

export interface SourceOptions extends FetchOptions {
  /** Pages fetched at once (default 4). */
  concurrency?: number;
}

const reject = (where: string, e: unknown): Rejected => ({
  rejected: true,
  where,
  reason: e instanceof Error ? e.message.replace(/^stancecheck: /, '') : String(e),
});

const str = (o: Record<string, unknown>, k: string): string | undefined => {
  const v = o[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new StanceError('INPUT_FORMAT', `expected "${k}" to be a string; found ${typeof v}`, { field: k });
};

/** One JSONL object → an article input. */
export function fromJsonObject(obj: unknown): ArticleInput {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new StanceError('INPUT_FORMAT', 'expected a JSON object {"body", "headline"?, "id"?, …}');
  const o = obj as Record<string, unknown>;
  const body = str(o, 'body');
  if (body === undefined || body.trim() === '')
    throw new StanceError('INPUT_EMPTY', 'expected a non-empty "body"', { field: 'body' });
  const a: ArticleInput = { body };
  for (const k of ['id', 'headline', 'subtitle', 'url', 'published', 'source'] as const) {
    const v = str(o, k);
    if (v !== undefined) a[k] = v;
  }
  return a;
}

async function* jsonl(path: string): AsyncGenerator<ArticleInput | Rejected> {
  const text = await readInput(path, { maxBytes: 2 * 1024 * 1024 * 1024 });
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (raw.trim() === '') continue;
    try {
      yield fromJsonObject(JSON.parse(raw));
    } catch (e) {
      yield reject(`${path}:${line}`, e instanceof SyntaxError ? new Error(`invalid JSON: ${e.message}`) : e);
    }
  }
}

async function* csv(path: string): AsyncGenerator<ArticleInput | Rejected> {
  const bodies = await readBodies(path);
  for (const [id, body] of bodies) yield { id, headline: '', body };
}

function articleInput(a: Article, id: string): ArticleInput {
  const x: ArticleInput = { id, headline: a.headline, body: a.body };
  if (a.subtitle) x.subtitle = a.subtitle;
  return x;
}

async function fromFile(path: string, id: string): Promise<ArticleInput> {
  const text = await readInput(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.html' || ext === '.htm') {
    const { extractArticle } = await import('../html/extract.js');
    return articleInput(extractArticle(text), id);
  }
  if (ext === '.json') return { ...fromJsonObject(parseArticleJson(JSON.parse(text))), id };
  return articleInput(parseArticle(text), id);
}

const ARTICLE_EXT = new Set(['.txt', '.html', '.htm', '.json']);

async function* folder(root: string): AsyncGenerator<ArticleInput | Rejected> {
  const walk = async function* (dir: string): AsyncGenerator<string> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) yield* walk(p);
      else if (e.isFile() && ARTICLE_EXT.has(extname(e.name).toLowerCase())) yield p;
    }
  };
  for await (const p of walk(root)) {
    try {
      yield await fromFile(p, relative(root, p));
    } catch (e) {
      yield reject(p, e);
    }
  }
}

/** Fetches an article page and extracts it as `check` does. */
export async function fetchArticle(
  url: string,
  options: FetchOptions = {},
): Promise<Article & { url: string }> {
  const doc = await fetchText(url, options);
  const { extractArticle } = await import('../html/extract.js');
  return { ...extractArticle(doc.text), url: doc.url };
}

async function* fromUrl(url: string, o: SourceOptions): AsyncGenerator<ArticleInput | Rejected> {
  let doc;
  try {
    doc = await fetchText(url, o);
  } catch (e) {
    yield reject(url, e);
    return;
  }
  const { extractArticle } = await import('../html/extract.js');
  if (!isFeed(doc)) {
    try {
      yield { ...articleInput(extractArticle(doc.text), url), url: doc.url };
    } catch (e) {
      yield reject(url, e);
    }
    return;
  }
  const items = feedItems(doc);
  yield* mapBounded(
    items,
    Math.max(1, o.concurrency ?? 4),
    async (item): Promise<ArticleInput | Rejected> => {
      try {
        const page = await fetchText(item.link, o);
        // The id is the feed's link; url is where the page was found after redirects.
        const a = { ...articleInput(extractArticle(page.text), item.link), url: page.url };
        if (item.published) a.published = item.published;
        a.source = url;
        return a;
      } catch (e) {
        return reject(item.link, e);
      }
    },
  );
}

/** Every article of every input, in order. */
export async function* readSources(
  inputs: readonly string[],
  options: SourceOptions = {},
): AsyncGenerator<ArticleInput | Rejected> {
  for (const input of inputs) {
    if (/^https?:\/\//i.test(input)) {
      yield* fromUrl(input, options);
      continue;
    }
    let st;
    try {
      st = await stat(input);
    } catch (e) {
      yield reject(
        input,
        new StanceError(
          'FILE_NOT_FOUND',
          `${input} does not exist or cannot be read`,
          { file: input },
          { cause: e },
        ),
      );
      continue;
    }
    try {
      if (st.isDirectory()) yield* folder(input);
      else {
        const ext = extname(input).toLowerCase();
        if (ext === '.jsonl' || ext === '.ndjson') yield* jsonl(input);
        else if (ext === '.csv') yield* csv(input);
        else if (ARTICLE_EXT.has(ext)) yield await fromFile(input, input);
        else
          yield reject(
            input,
            new Error(
              `unknown input type ${ext || '(no extension)'}; expected .jsonl, .csv (FNC-1 bodies), .txt, .html, .json, a folder or an http(s) URL`,
            ),
          );
      }
    } catch (e) {
      yield reject(input, e);
    }
  }
}

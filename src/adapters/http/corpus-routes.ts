/**
 * The corpus routes under /v1/corpus/: claim, audit, stats and export read; ingest, remove, the
 * audit run and reindex write, and need `Authorization: Bearer <token>`. Without a token the
 * server's corpus is read-only over HTTP. Request bodies are read with the same limits and strict
 * decoding as /v1/check and /v1/batch; the work runs on the corpus threads (corpus-service.ts).
 */
import type { Context, Hono } from 'hono';
import { StanceError } from '../../core/errors.js';
import type { ArticleInput, Rejected } from '../corpus/corpus.js';
import { fromJsonObject } from '../corpus/sources.js';
import { splitLines } from './batch.js';
import { requireBearer } from './auth.js';
import type { CorpusService } from './corpus-service.js';
import { decodeBody, decodeLine, parseJson, readBody, requireContentType } from './request.js';
import { AuditQuery, flagSet } from './schemas.js';

/** Longest claim accepted, in characters: a claim is a headline-like sentence. */
export const MAX_CLAIM_CHARS = 2000;
/** Articles per export page (one round trip to the reader thread). */
const EXPORT_PAGE = 500;

const JSON_CT = 'application/json; charset=utf-8';
const NDJSON_CT = 'application/x-ndjson; charset=utf-8';
const JSON_TYPES = new Set(['application/json']);
const INGEST_TYPES = new Set([
  'application/json',
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/jsonlines',
]);

export interface CorpusRouteDeps {
  /** Undefined when the corpus is off: every corpus route answers 404 saying how to turn it on. */
  corpus: CorpusService | undefined;
  /** The bearer token of the write routes; undefined: the write routes refuse every request. */
  token: string | undefined;
  limits: { maxBodyBytes: number; maxBatchBytes: number; maxBatchLines: number };
}

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

const rejectedAt = (where: string, e: unknown): Rejected => ({
  rejected: true,
  where,
  reason:
    e instanceof SyntaxError ? `invalid JSON: ${e.message}` : e instanceof Error ? e.message : String(e),
});

/** The request's articles: JSONL lines, or a JSON object or array; bad items become Rejected. */
export function ingestItems(
  contentType: string,
  bytes: Buffer,
  limits: CorpusRouteDeps['limits'],
): (ArticleInput | Rejected)[] {
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    if (bytes.byteLength === 0)
      throw new StanceError(
        'INPUT_EMPTY',
        'request body is empty; expected an article or an array of articles',
      );
    const value = parseJson(decodeBody(bytes), 'request body');
    const list = Array.isArray(value) ? (value as unknown[]) : [value];
    if (list.length === 0)
      throw new StanceError('INPUT_EMPTY', 'the array of articles is empty; expected at least one');
    if (list.length > limits.maxBatchLines)
      throw new StanceError(
        'INPUT_TOO_LARGE',
        `the request has ${list.length} articles; the limit is ${limits.maxBatchLines} per request`,
      );
    return list.map((v, i) => {
      try {
        return fromJsonObject(v);
      } catch (e) {
        return rejectedAt(`item ${i + 1}`, e);
      }
    });
  }
  const lines = splitLines(bytes, limits.maxBatchLines);
  return lines.map((line) => {
    try {
      if (line.bytes.byteLength > limits.maxBodyBytes)
        throw new StanceError(
          'INPUT_TOO_LARGE',
          `the line is ${line.bytes.byteLength} bytes; the limit is ${limits.maxBodyBytes} bytes per article`,
        );
      return fromJsonObject(JSON.parse(decodeLine(line.bytes, line.n, line.offset)));
    } catch (e) {
      return rejectedAt(`line ${line.n}`, e);
    }
  });
}

function claimArgs(value: unknown): { text: string; top: number | undefined } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StanceError(
      'INPUT_FORMAT',
      `expected a JSON object {"claim", "top"?}; found ${describe(value)}`,
    );
  const o = value as Record<string, unknown>;
  if (o.claim === undefined)
    throw new StanceError('INPUT_FORMAT', 'expected a "claim" field; found none', { field: 'claim' });
  if (typeof o.claim !== 'string')
    throw new StanceError('INPUT_FORMAT', `field "claim" must be a string; got ${describe(o.claim)}`, {
      field: 'claim',
    });
  if (o.top !== undefined && (typeof o.top !== 'number' || !Number.isInteger(o.top)))
    throw new StanceError(
      'USAGE',
      `field "top" must be a whole number 1-1000; got ${JSON.stringify(o.top)}`,
      {
        field: 'top',
      },
    );
  return { text: o.claim, top: o.top as number | undefined };
}

function checkClaimLength(text: string): void {
  if (text.length > MAX_CLAIM_CHARS)
    throw new StanceError(
      'INPUT_TOO_LARGE',
      `the claim is ${text.length} characters long; the limit is ${MAX_CLAIM_CHARS} (a claim is a headline-like sentence)`,
      { field: 'claim' },
    );
}

function removeIds(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StanceError(
      'INPUT_FORMAT',
      `expected a JSON object {"id"} or {"ids": […]}; found ${describe(value)}`,
    );
  const o = value as Record<string, unknown>;
  const raw: unknown[] = [];
  if (o.id !== undefined) raw.push(o.id);
  if (o.ids !== undefined) {
    if (!Array.isArray(o.ids))
      throw new StanceError(
        'INPUT_FORMAT',
        `field "ids" must be an array of strings; got ${describe(o.ids)}`,
        {
          field: 'ids',
        },
      );
    raw.push(...(o.ids as unknown[]));
  }
  if (raw.length === 0)
    throw new StanceError('INPUT_EMPTY', 'expected "id" or a non-empty "ids"; found neither', {
      field: 'id',
    });
  if (raw.length > 1000)
    throw new StanceError('INPUT_TOO_LARGE', `expected at most 1000 ids per request; found ${raw.length}`, {
      field: 'ids',
    });
  return raw.map((id) => {
    if (typeof id !== 'string' || id === '')
      throw new StanceError(
        'INPUT_FORMAT',
        `every id must be a non-empty string; got ${JSON.stringify(id)}`,
        {
          field: 'ids',
        },
      );
    return id;
  });
}

/** Registers the corpus routes on the app. */
export function registerCorpusRoutes<E extends object>(app: Hono<E>, deps: CorpusRouteDeps): void {
  const { limits } = deps;
  const corpus = (): CorpusService => {
    if (!deps.corpus)
      throw new StanceError(
        'NOT_FOUND',
        'the corpus is off on this server; start it with `stancecheck serve --db PATH` (or postgres://…)',
      );
    return deps.corpus;
  };
  /** The corpus, once the request's bearer token is checked. */
  const writable = (c: Context): CorpusService => {
    const service = corpus();
    if (deps.token === undefined)
      throw new StanceError(
        'UNAUTHORIZED',
        'this server has no token, so its corpus is read-only over HTTP; start it with --token or STANCECHECK_TOKEN to allow writes',
        { field: 'authorization' },
      );
    requireBearer(c.req.header('authorization'), deps.token);
    return service;
  };
  const json = (c: Context, value: unknown, status: 200 | 202 = 200) =>
    c.body(JSON.stringify(value), status, { 'content-type': JSON_CT });

  app.post('/v1/corpus/claim', async (c) => {
    const service = corpus();
    requireContentType(c.req.header('content-type'), JSON_TYPES, 'application/json');
    const bytes = await readBody(c.req.raw, limits.maxBodyBytes);
    if (bytes.byteLength === 0)
      throw new StanceError('INPUT_EMPTY', 'request body is empty; expected JSON {"claim", "top"?}');
    const { text, top } = claimArgs(parseJson(decodeBody(bytes), 'request body'));
    checkClaimLength(text);
    return json(c, await service.claim(text, top));
  });

  app.get('/v1/corpus/claim', async (c) => {
    const service = corpus();
    const text = c.req.query('claim');
    if (text === undefined)
      throw new StanceError('USAGE', 'expected the query parameter "claim"; found none', { field: 'claim' });
    checkClaimLength(text);
    const topText = c.req.query('top');
    let top: number | undefined;
    if (topText !== undefined) {
      if (!/^\d{1,4}$/.test(topText))
        throw new StanceError(
          'USAGE',
          `query parameter "top" must be a whole number 1-1000; got ${topText.slice(0, 20)}`,
          {
            field: 'top',
          },
        );
      top = Number(topText);
    }
    return json(c, await service.claim(text, top));
  });

  app.get('/v1/corpus/audit', async (c) => json(c, await corpus().findings()));

  app.get('/v1/corpus/audit/progress', (c) => json(c, corpus().auditProgress()));

  app.post('/v1/corpus/audit', async (c) => {
    const service = writable(c);
    const q = AuditQuery.safeParse(c.req.query());
    if (!q.success) {
      const field = String(q.error.issues[0]?.path[0] ?? 'redo');
      throw new StanceError(
        'USAGE',
        `query parameter "${field}" must be true or false; got ${(c.req.query(field) ?? '').slice(0, 20)}`,
        { field },
      );
    }
    const run = service.audit(flagSet(q.data.redo));
    if (flagSet(q.data.background)) {
      // Its outcome is kept in the progress (`failed` when it fails); the findings in the store.
      run.catch(() => undefined);
      return json(c, service.auditProgress(), 202);
    }
    return json(c, await run);
  });

  app.get('/v1/corpus/stats', async (c) => json(c, await corpus().stats()));

  app.get('/v1/corpus/export', async (c) => {
    const service = corpus();
    // The first page is read before answering, so a database error still gets its status.
    let page = await service.exportPage(0, EXPORT_PAGE);
    const enc = new TextEncoder();
    const signal = c.req.raw.signal;
    const stream = new ReadableStream<Uint8Array>({
      pull: async (ctrl) => {
        if (page.last === null || signal.aborted) {
          ctrl.close();
          return;
        }
        const text = page.lines.map((l) => `${l}\n`).join('');
        const after = page.last;
        try {
          page = await service.exportPage(after, EXPORT_PAGE);
        } catch (e) {
          // Headers are gone: the error is the stream's last line, as in /v1/batch.
          const err = e instanceof StanceError ? e : new StanceError('INTERNAL', String(e));
          ctrl.enqueue(enc.encode(`${text}${JSON.stringify({ error: err.toJSON() })}\n`));
          ctrl.close();
          return;
        }
        ctrl.enqueue(enc.encode(text));
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': NDJSON_CT } });
  });

  app.post('/v1/corpus/ingest', async (c) => {
    const service = writable(c);
    const ct = c.req.header('content-type');
    requireContentType(ct, INGEST_TYPES, 'application/x-ndjson (one article per line) or application/json');
    const items = ingestItems(ct ?? '', await readBody(c.req.raw, limits.maxBatchBytes), limits);
    return json(c, await service.ingest(items));
  });

  app.post('/v1/corpus/remove', async (c) => {
    const service = writable(c);
    requireContentType(c.req.header('content-type'), JSON_TYPES, 'application/json');
    const bytes = await readBody(c.req.raw, limits.maxBodyBytes);
    if (bytes.byteLength === 0)
      throw new StanceError('INPUT_EMPTY', 'request body is empty; expected JSON {"id"} or {"ids": […]}');
    const ids = removeIds(parseJson(decodeBody(bytes), 'request body'));
    const result = await service.remove(ids);
    if (result.removed.every((r) => !r.removed))
      throw new StanceError(
        'NOT_FOUND',
        `no article has the id${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`.slice(0, 500),
      );
    return json(c, result);
  });

  app.post('/v1/corpus/reindex', async (c) => json(c, await writable(c).reindex()));
}

/**
 * The Hono application: routes, validation, limits and error mapping. It does no classification
 * itself; it hands jobs to a {@link Runner} (the worker pool) and renders what comes back.
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { z } from 'zod';
import { StanceError, toStanceError } from '../../core/errors.js';
import { evidenceLimit } from '../../core/create-checker.js';
import type { ModelCard } from '../../core/model/card.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { buildOpenApi, ROUTES } from './openapi.js';
import type { PoolStats } from './pool.js';
import type { CheckResultJson, Job } from './protocol.js';
import { CheckHtmlRequest, CheckQuery, CheckTextRequest } from './schemas.js';
import { statusFor } from './status.js';

/** What runs checks: the worker pool in production. */
export interface Runner {
  run(job: Job, signal?: AbortSignal): Promise<CheckResultJson>;
  readonly card: ModelCard;
  stats(): PoolStats;
}

/** Request limits. */
export interface AppLimits {
  /** Largest /v1/check body, in bytes (also the largest single batch line). Default 1 MB. */
  maxBodyBytes: number;
  /** Largest /v1/batch body, in bytes. Default 10 MB. */
  maxBatchBytes: number;
  /** Most non-blank lines in one batch. Default 1000. */
  maxBatchLines: number;
  /** Batch lines of one request in flight at once. Default: worker count. */
  batchWindow: number;
  /** Per-request timeout (ms); a batch line waiting for a free queue slot gives up after this. */
  timeoutMs: number;
}

/** A static file served from memory. */
export interface StaticFile {
  contentType: string;
  body: string;
}

export interface AppDeps {
  runner: Runner;
  logger: Logger;
  metrics: Metrics;
  limits: AppLimits;
  /** Files of the web page by URL path ('/', '/app.js', '/style.css'). */
  web: ReadonlyMap<string, StaticFile>;
  /** Package version for /openapi.json. */
  version: string;
  /** True once shutdown has begun: new requests get 503. */
  isShuttingDown: () => boolean;
}

type Env = { Variables: { errorCode: string | undefined; requestId: string } };

const JSON_CT = 'application/json; charset=utf-8';
const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines']);
const KNOWN_PATHS = new Set([...ROUTES.map((r) => r.path), '/app.js', '/style.css', '/index.html']);
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** `{"error": {...}}` with the status from the one table (and Retry-After for OVERLOADED). */
export function errorResponse(err: StanceError): Response {
  const headers: Record<string, string> = { 'content-type': JSON_CT };
  if (err.code === 'OVERLOADED') headers['retry-after'] = '1';
  // The rest of an oversized upload is not read: tell the client not to reuse this connection.
  if (err.code === 'INPUT_TOO_LARGE') headers.connection = 'close';
  return new Response(JSON.stringify({ error: err.toJSON() }), { status: statusFor(err.code), headers });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.trim() === '' ? 'an empty string' : 'a string';
  return typeof v === 'object' ? 'an object' : typeof v === 'undefined' ? 'nothing' : `a ${typeof v}`;
}

/** Checks the Content-Type's media type and that any charset is UTF-8. */
function requireContentType(c: Context, accepted: ReadonlySet<string>, expected: string): void {
  const header = c.req.header('content-type') ?? '';
  const [type = '', ...params] = header.split(';').map((s) => s.trim().toLowerCase());
  if (!accepted.has(type)) {
    throw new StanceError('USAGE', `expected Content-Type ${expected}; got ${header === '' ? 'none' : header}`, { field: 'content-type' });
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new StanceError('INPUT_ENCODING', `only UTF-8 is accepted; got charset=${charset}`, { field: 'content-type' });
  }
}

/** Reads the raw body, refusing it as soon as it passes `limit` bytes. */
async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const tooLarge = (size: string) =>
    new StanceError('INPUT_TOO_LARGE', `request body is ${size}; the limit is ${limit} bytes`);
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(`${declared} bytes`);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`over ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new StanceError('INPUT_ENCODING', `${where} is not valid UTF-8`);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new StanceError('INPUT_FORMAT', `${where} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function fromZod(error: z.ZodError, value: Record<string, unknown>): StanceError {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  if (issue?.code === 'invalid_type') {
    const got = issue.path.length === 1 ? value[String(issue.path[0])] : undefined;
    const message =
      got === undefined
        ? `missing field "${field}" (expected ${issue.expected})`
        : `field "${field}" must be ${issue.expected === 'string' ? 'a string' : issue.expected}; got ${describe(got)}`;
    return new StanceError('INPUT_FORMAT', message, { field });
  }
  return new StanceError('INPUT_FORMAT', `field "${field}": ${issue?.message ?? 'invalid'}`, { field });
}

function requireText(value: string, field: string): void {
  if (value.trim() === '') throw new StanceError('INPUT_EMPTY', `"${field}" is empty; expected some text`, { field });
}

/** Validates one request object (a /v1/check body or a batch line) and turns it into a job. */
export function toJob(value: unknown, sentences: boolean): Job {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StanceError('INPUT_FORMAT', `expected a JSON object with "headline" and "body" (or "html"); got ${describe(value)}`);
  }
  const obj = value as Record<string, unknown>;
  if ('html' in obj) {
    if ('body' in obj || 'headline' in obj) {
      throw new StanceError('INPUT_FORMAT', 'give either "html" or "headline" and "body", not both', { field: 'html' });
    }
    const r = CheckHtmlRequest.safeParse(obj);
    if (!r.success) throw fromZod(r.error, obj);
    requireText(r.data.html, 'html');
    return { kind: 'html', html: r.data.html, sentences };
  }
  if (!('headline' in obj) && !('body' in obj)) {
    const keys = Object.keys(obj);
    throw new StanceError(
      'INPUT_FORMAT',
      `expected "headline" and "body" (or "html"); got ${keys.length === 0 ? 'an empty object' : `fields ${keys.slice(0, 5).map((k) => JSON.stringify(k)).join(', ')}`}`,
    );
  }
  const r = CheckTextRequest.safeParse(obj);
  if (!r.success) throw fromZod(r.error, obj);
  requireText(r.data.headline, 'headline');
  requireText(r.data.body, 'body');
  const subtitle = r.data.subtitle?.trim() ? r.data.subtitle : undefined;
  return { kind: 'check', article: subtitle ? { headline: r.data.headline, subtitle, body: r.data.body } : { headline: r.data.headline, body: r.data.body }, sentences };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Builds the Hono app. */
export function createApp(deps: AppDeps): Hono<Env> {
  const { runner, logger, metrics, limits } = deps;
  const app = new Hono<Env>();
  const openapi = JSON.stringify(buildOpenApi(deps.version));
  let nextRequest = 1;

  // Logging, metrics, request ids, shutdown refusal, common headers.
  app.use('*', async (c, next) => {
    const start = performance.now();
    const requestId = c.req.header('x-request-id')?.replace(/[^\w.:-]/g, '').slice(0, 100) || `r${nextRequest++}`;
    c.set('requestId', requestId);
    c.set('errorCode', undefined);
    if (deps.isShuttingDown()) {
      c.res = errorResponse(new StanceError('OVERLOADED', 'stancecheck is shutting down; try again later'));
      c.res.headers.set('connection', 'close');
      c.set('errorCode', 'OVERLOADED');
    } else {
      await next();
    }
    c.res.headers.set('x-request-id', requestId);
    c.res.headers.set('x-content-type-options', 'nosniff');
    const seconds = (performance.now() - start) / 1000;
    const path = c.req.path;
    const route = KNOWN_PATHS.has(path) ? path : 'unmatched';
    const code = c.get('errorCode');
    metrics.observeRequest(c.req.method, route, c.res.status, seconds);
    if (code) metrics.observeError(code, 'request');
    const level = c.res.status >= 500 ? 'error' : c.res.status >= 400 ? 'warn' : 'info';
    logger.log(level, 'request', {
      requestId,
      method: c.req.method,
      path: path.slice(0, 200),
      status: c.res.status,
      ms: Math.round(seconds * 10000) / 10,
      ...(code ? { code } : {}),
    });
  });

  app.use('/v1/*', cors({ origin: '*', allowMethods: ['GET', 'POST', 'OPTIONS'], allowHeaders: ['content-type', 'x-request-id'], maxAge: 600 }));

  app.onError((e, c) => {
    const err = toStanceError(e);
    c.set('errorCode', err.code);
    if (err.code === 'INTERNAL') logger.log('error', 'internal error', { requestId: c.get('requestId'), error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return errorResponse(err);
  });

  app.notFound((c) => {
    const known = ROUTES.find((r) => r.path === c.req.path);
    const err = known
      ? new StanceError('NOT_FOUND', `${c.req.method} is not supported on ${c.req.path}; use ${known.method.toUpperCase()}`)
      : new StanceError('NOT_FOUND', `no route ${c.req.method} ${c.req.path.slice(0, 200)}; see GET /openapi.json for the routes`);
    c.set('errorCode', err.code);
    return errorResponse(err);
  });

  for (const [path, file] of deps.web) {
    app.get(path, (c) => {
      c.header('content-type', file.contentType);
      c.header('cache-control', 'no-cache');
      if (file.contentType.startsWith('text/html')) {
        c.header('content-security-policy', PAGE_CSP);
        c.header('referrer-policy', 'no-referrer');
      }
      return c.body(file.body);
    });
  }

  app.get('/healthz', (c) => {
    const s = runner.stats();
    return c.json({ status: 'ok', workers: s.workers, ready: s.ready, busy: s.busy, queued: s.queued, uptimeSeconds: Math.round(process.uptime()) });
  });

  app.get('/metrics', (c) => {
    c.header('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(metrics.render());
  });

  app.get('/openapi.json', (c) => {
    c.header('content-type', JSON_CT);
    return c.body(openapi);
  });

  app.get('/v1/model', (c) => {
    const card = runner.card;
    return c.json({ name: card.name, version: card.version, card });
  });

  app.post('/v1/check', async (c) => {
    const q = CheckQuery.safeParse(c.req.query());
    if (!q.success) throw new StanceError('USAGE', 'query parameter "sentences" must be true or false', { field: 'sentences' });
    const sentences = q.data.sentences === 'true' || q.data.sentences === '1';
    const evidence = q.data.evidence === undefined ? undefined : evidenceLimit(/^\d{1,3}$/.test(q.data.evidence) ? Number(q.data.evidence) : q.data.evidence, 0);
    requireContentType(c, new Set(['application/json']), 'application/json');
    const bytes = await readBody(c.req.raw, limits.maxBodyBytes);
    if (bytes.byteLength === 0) throw new StanceError('INPUT_EMPTY', 'request body is empty; expected JSON {"headline", "body"} or {"html"}');
    const value = parseJson(decodeUtf8(bytes, 'request body'), 'request body');
    const job = toJob(value, sentences);
    const json = await runner.run(evidence === undefined ? job : { ...job, evidence }, c.req.raw.signal);
    return c.body(json, 200, { 'content-type': JSON_CT });
  });

  app.post('/v1/batch', async (c) => {
    requireContentType(c, NDJSON_TYPES, 'application/x-ndjson (one JSON object per line)');
    const bytes = Buffer.from(await readBody(c.req.raw, limits.maxBatchBytes));
    const lines: { n: number; bytes: Buffer }[] = [];
    let startAt = 0;
    let n = 0;
    while (startAt <= bytes.length) {
      let end = bytes.indexOf(0x0a, startAt);
      if (end < 0) end = bytes.length;
      n++;
      const line = bytes.subarray(startAt, end);
      if (line.some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d)) lines.push({ n, bytes: line });
      startAt = end + 1;
    }
    if (lines.length === 0) throw new StanceError('INPUT_EMPTY', 'batch is empty; expected one JSON object per line');
    if (lines.length > limits.maxBatchLines) {
      throw new StanceError('INPUT_TOO_LARGE', `batch has ${lines.length} lines; the limit is ${limits.maxBatchLines} per request`);
    }

    const requestId = c.get('requestId');
    const started = performance.now();
    const stopped = new AbortController(); // the client went away: drop queued lines
    let ok = 0;
    let failed = 0;

    const processLine = async ({ n: line, bytes: raw }: { n: number; bytes: Buffer }): Promise<string> => {
      let id: unknown;
      try {
        if (raw.byteLength > limits.maxBodyBytes) {
          throw new StanceError('INPUT_TOO_LARGE', `line is ${raw.byteLength} bytes; the limit is ${limits.maxBodyBytes}`);
        }
        const value = parseJson(decodeUtf8(raw, `line ${line}`), `line ${line}`);
        if (typeof value === 'object' && value !== null && 'id' in value) {
          const v = (value as { id: unknown }).id;
          if (typeof v === 'string' || typeof v === 'number') id = v;
        }
        const job = toJob(value, false);
        const deadline = performance.now() + limits.timeoutMs;
        for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
          try {
            const json = await runner.run(job, stopped.signal);
            ok++;
            metrics.observeBatchLine('ok');
            const head = JSON.stringify(id === undefined ? { line } : { line, id });
            return `${head.slice(0, -1)},"result":${json}}\n`;
          } catch (e) {
            // A full queue is not this line's fault: wait for room rather than fail it.
            const retry = e instanceof StanceError && e.code === 'OVERLOADED' && !stopped.signal.aborted && !deps.isShuttingDown();
            if (!retry || performance.now() + wait > deadline) throw e;
            await sleep(wait);
          }
        }
      } catch (e) {
        const err = toStanceError(e);
        failed++;
        metrics.observeBatchLine('error');
        metrics.observeError(err.code, 'batch_line');
        return `${JSON.stringify(id === undefined ? { line, error: err.toJSON() } : { line, id, error: err.toJSON() })}\n`;
      }
    };

    const encoder = new TextEncoder();
    const inflight: Promise<string>[] = [];
    let next = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        while (inflight.length < limits.batchWindow && next < lines.length) {
          const item = lines[next++];
          if (item) inflight.push(processLine(item));
        }
        const head = inflight.shift();
        if (!head) {
          controller.close();
          logger.log('info', 'batch done', { requestId, lines: lines.length, ok, failed, ms: Math.round(performance.now() - started) });
          return;
        }
        controller.enqueue(encoder.encode(await head));
      },
      cancel() {
        next = lines.length; // client went away: start no more lines
        stopped.abort();
        logger.log('warn', 'batch cancelled by client', { requestId, done: ok + failed, lines: lines.length });
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' } });
  });

  return app;
}

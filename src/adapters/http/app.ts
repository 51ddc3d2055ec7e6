/**
 * The Hono application: middleware (request ids, logs, metrics, shutdown refusal, optional CORS),
 * error mapping, and the routes of {@link ROUTES}, which also drive /openapi.json and the 404/405
 * answers. It does no classification itself: request reading lives in request.ts, the batch stream
 * in batch.ts, and the checks run on a {@link Runner} (the shared worker pool).
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { StanceError, toStanceError } from '../../core/errors.js';
import { evidenceLimit } from '../../core/create-checker.js';
import type { ModelCard } from '../../core/model/card.js';
import type { PoolStats, RunOptions } from '../workers/pool.js';
import type { ResultOf, Task } from '../workers/protocol.js';
import { batchResponse, splitLines } from './batch.js';
import { registerCorpusRoutes } from './corpus-routes.js';
import type { CorpusService } from './corpus-service.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { buildOpenApi, ROUTES } from './openapi.js';
import { decodeBody, parseJson, readBody, requireContentType, toTask } from './request.js';
import { CheckQuery, flagSet } from './schemas.js';
import { statusFor } from './status.js';

/** What runs checks: the worker pool in production. */
export interface Runner {
  run<T extends Task>(task: T, options?: RunOptions): Promise<ResultOf<T>>;
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
  /** Time budget of a whole /v1/batch request (ms). Default 120000. */
  batchTimeoutMs: number;
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
  /** Origins allowed to call /v1 from a browser on another origin ('*' for any). Default: none (CORS off). */
  corsOrigins?: readonly string[];
  /** The corpus behind /v1/corpus/…; undefined: those routes answer 404 saying how to turn it on. */
  corpus?: CorpusService;
  /** Bearer token of the corpus write routes; undefined: they refuse every request (read-only). */
  token?: string;
}

type Env = { Variables: { errorCode: string | undefined; requestId: string } };

const JSON_CT = 'application/json; charset=utf-8';
const JSON_TYPES = new Set(['application/json']);
const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/jsonlines',
]);
/** Logged (and counted) for a request whose client went away before the answer: nginx's "client closed request". */
const CLIENT_CLOSED = 499;
const PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** `{"error": {...}}` with the status from the one table (and Retry-After for OVERLOADED). */
export function errorResponse(err: StanceError, headers: Record<string, string> = {}): Response {
  const h: Record<string, string> = { 'content-type': JSON_CT, ...headers };
  if (err.code === 'OVERLOADED') h['retry-after'] = '1';
  // The rest of an oversized upload is not read: tell the client not to reuse this connection.
  if (err.code === 'INPUT_TOO_LARGE') h.connection = 'close';
  return new Response(JSON.stringify({ error: err.toJSON() }), { status: statusFor(err.code), headers: h });
}

/** The methods each known path answers (from ROUTES and the web files), for 405 and Allow. */
function allowedMethods(web: ReadonlyMap<string, StaticFile>): Map<string, string[]> {
  const allow = new Map<string, string[]>();
  const add = (path: string, method: string) => {
    const list = allow.get(path) ?? [];
    if (!list.includes(method)) list.push(method);
    allow.set(path, list);
  };
  for (const r of ROUTES) add(r.path, r.method.toUpperCase());
  for (const path of web.keys()) add(path, 'GET');
  for (const list of allow.values()) if (list.includes('GET')) list.push('HEAD');
  return allow;
}

/** Builds the Hono app. */
export function createApp(deps: AppDeps): Hono<Env> {
  const { runner, logger, metrics, limits } = deps;
  const app = new Hono<Env>();
  const openapi = JSON.stringify(buildOpenApi(deps.version));
  const allow = allowedMethods(deps.web);
  let nextRequest = 1;

  // Request ids, shutdown refusal, common headers, then one log line and metrics per request.
  app.use('*', async (c, next) => {
    const start = performance.now();
    const requestId =
      c.req
        .header('x-request-id')
        ?.replace(/[^\w.:-]/g, '')
        .slice(0, 100) || `r${nextRequest++}`;
    c.set('requestId', requestId);
    c.set('errorCode', undefined);
    if (deps.isShuttingDown()) {
      c.res = errorResponse(new StanceError('OVERLOADED', 'stancecheck is shutting down; try again later'), {
        connection: 'close',
      });
      c.set('errorCode', 'OVERLOADED');
    } else {
      await next();
    }
    c.res.headers.set('x-request-id', requestId);
    c.res.headers.set('x-content-type-options', 'nosniff');
    const seconds = (performance.now() - start) / 1000;
    const path = c.req.path;
    const route = allow.has(path) ? path : 'unmatched';
    const aborted = c.res.status === CLIENT_CLOSED;
    const code = c.get('errorCode');
    metrics.observeRequest(c.req.method, route, c.res.status, seconds);
    if (code) metrics.observeError(code, 'request');
    const level = aborted ? 'info' : c.res.status >= 500 ? 'error' : c.res.status >= 400 ? 'warn' : 'info';
    logger.log(level, aborted ? 'request aborted by client' : 'request', {
      requestId,
      method: c.req.method,
      path: path.slice(0, 200),
      status: c.res.status,
      ms: Math.round(seconds * 10000) / 10,
      ...(code ? { code } : {}),
    });
  });

  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    const origins = deps.corsOrigins;
    app.use(
      '/v1/*',
      cors({
        origin: origins.includes('*') ? '*' : [...origins],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: ['content-type', 'x-request-id', 'authorization'],
        maxAge: 600,
      }),
    );
  }

  app.onError((e, c) => {
    // The client went away (mid-upload, or while its check waited): nothing to answer, no stack.
    if (c.req.raw.signal.aborted) return new Response(null, { status: CLIENT_CLOSED });
    const err = toStanceError(e);
    c.set('errorCode', err.code);
    if (err.code === 'INTERNAL')
      logger.log('error', 'internal error', {
        requestId: c.get('requestId'),
        error: e instanceof Error ? (e.stack ?? e.message) : String(e),
      });
    return errorResponse(err);
  });

  app.notFound((c) => {
    const methods = allow.get(c.req.path);
    const err = methods
      ? new StanceError(
          'METHOD_NOT_ALLOWED',
          `${c.req.method} is not supported on ${c.req.path}; use ${methods.filter((m) => m !== 'HEAD').join(' or ')}`,
        )
      : new StanceError(
          'NOT_FOUND',
          `no route ${c.req.method} ${c.req.path.slice(0, 200)}; see GET /openapi.json for the routes`,
        );
    c.set('errorCode', err.code);
    return errorResponse(err, methods ? { allow: methods.join(', ') } : {});
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
    return c.json({
      status: 'ok',
      workers: s.workers,
      ready: s.ready,
      busy: s.busy,
      queued: s.queued,
      uptimeSeconds: Math.round(process.uptime()),
    });
  });

  app.get('/metrics', (c) =>
    c.body(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
  );

  app.get('/openapi.json', (c) => c.body(openapi, 200, { 'content-type': JSON_CT }));

  app.get('/v1/model', (c) =>
    c.json({ name: runner.card.name, version: runner.card.version, card: runner.card }),
  );

  app.post('/v1/check', async (c) => {
    const q = CheckQuery.safeParse(c.req.query());
    if (!q.success)
      throw new StanceError('USAGE', 'query parameter "sentences" must be true or false', {
        field: 'sentences',
      });
    const sentences = flagSet(q.data.sentences);
    const evidence =
      q.data.evidence === undefined
        ? undefined
        : evidenceLimit(/^\d{1,3}$/.test(q.data.evidence) ? Number(q.data.evidence) : q.data.evidence, 0);
    requireContentType(c.req.header('content-type'), JSON_TYPES, 'application/json');
    const bytes = await readBody(c.req.raw, limits.maxBodyBytes);
    if (bytes.byteLength === 0)
      throw new StanceError(
        'INPUT_EMPTY',
        'request body is empty; expected JSON {"headline", "body"} or {"html"}',
      );
    const task = toTask(parseJson(decodeBody(bytes), 'request body'), sentences);
    const json = await runner.run(evidence === undefined ? task : { ...task, evidence }, {
      signal: c.req.raw.signal,
    });
    return c.body(json, 200, { 'content-type': JSON_CT });
  });

  app.post('/v1/batch', async (c) => {
    requireContentType(
      c.req.header('content-type'),
      NDJSON_TYPES,
      'application/x-ndjson (one JSON object per line)',
    );
    const lines = splitLines(await readBody(c.req.raw, limits.maxBatchBytes), limits.maxBatchLines);
    return batchResponse(lines, {
      runner,
      logger,
      metrics,
      requestId: c.get('requestId'),
      isShuttingDown: deps.isShuttingDown,
      clientGone: c.req.raw.signal,
      limits: {
        maxLineBytes: limits.maxBodyBytes,
        maxLines: limits.maxBatchLines,
        window: limits.batchWindow,
        lineTimeoutMs: limits.timeoutMs,
        totalTimeoutMs: limits.batchTimeoutMs,
      },
    });
  });

  registerCorpusRoutes(app, { corpus: deps.corpus, token: deps.token, limits });

  // ROUTES is what /openapi.json documents and 404/405 rely on: every route must have a handler.
  for (const r of ROUTES) {
    if (r.path === '/' && !deps.web.has('/')) continue; // a build without the web page
    if (!app.routes.some((h) => h.path === r.path && h.method === r.method.toUpperCase())) {
      throw new StanceError(
        'INTERNAL',
        `route ${r.method.toUpperCase()} ${r.path} is documented but has no handler`,
      );
    }
  }
  return app;
}

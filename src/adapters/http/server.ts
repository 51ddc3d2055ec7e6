/**
 * Starts the HTTP server: a worker pool (each worker loads its own model), the Hono app on
 * @hono/node-server, and a graceful close that finishes requests in flight.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { serve } from '@hono/node-server';
import { StanceError } from '../../core/errors.js';
import { createApp, type StaticFile } from './app.js';
import { isLoopback } from './auth.js';
import { startCorpusService, type AuditPoolRef, type CorpusService } from './corpus-service.js';
import { silentLogger, type Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { WorkerPool, type PoolStats } from '../workers/pool.js';

/** Options of {@link startServer}; every field has a default. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1 (use 0.0.0.0 to listen on all). */
  host?: string;
  /** Model file. Default: the bundled model. */
  model?: string;
  /** Largest /v1/check body (and batch line), bytes. Default 1 MB (1048576). */
  maxBodyBytes?: number;
  /** Largest /v1/batch body, bytes. Default 10 MB. */
  maxBatchBytes?: number;
  /** Most lines in one batch. Default 1000. */
  maxBatchLines?: number;
  /** Worker threads. Default: one per core. */
  workers?: number;
  /** Requests that may wait for a worker before new ones get 503. Default 64. */
  queueSize?: number;
  /** Per-request timeout, ms (queue wait included). Default 10000. */
  timeoutMs?: number;
  /** Time budget of a whole /v1/batch request, ms. Default 120000. */
  batchTimeoutMs?: number;
  /** Origins allowed to call /v1 from other origins in a browser ('*' for any). Default: none, CORS off. */
  cors?: string | readonly string[];
  /** Longest a shutdown waits for requests in flight, ms. Default 30000. */
  shutdownGraceMs?: number;
  /** Where logs go. Default: nowhere. */
  logger?: Logger;
  /** Module exporting `loadChecker(path?)` for the workers (tests). Default: the real model loader. */
  loaderUrl?: string;
  /**
   * The corpus behind /v1/corpus/…: a SQLite file path or a postgres:// URL. Default: none, and
   * those routes answer 404 (`stancecheck serve` picks a default; see serve-command.ts).
   */
  db?: string;
  /**
   * Bearer token of the corpus write routes (at least 16 characters). Without one the corpus is
   * read-only over HTTP, and the server refuses to listen beyond loopback with the corpus on.
   */
  token?: string;
}

/** Shortest bearer token accepted. */
export const MIN_TOKEN_CHARS = 16;

/** Checks `--token`: printable ASCII without spaces (it travels in a header), long enough to guess. */
function checkToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new StanceError('USAGE', 'the token must be printable ASCII without spaces', { field: 'token' });
  if (token.length < MIN_TOKEN_CHARS)
    throw new StanceError(
      'USAGE',
      `the token is ${token.length} characters long; expected at least ${MIN_TOKEN_CHARS} (e.g. \`openssl rand -hex 16\`)`,
      { field: 'token' },
    );
  return token;
}

/** A listening server. */
export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  host: string;
  /** The pool's figures, requests in flight, and audit chunks sent to the pool so far. */
  stats(): PoolStats & { inflight: number; auditChunks: number };
  /** The corpus behind /v1/corpus/…, when on. */
  corpus: { backend: 'sqlite' | 'postgres'; location: string; writable: boolean } | undefined;
  /** Stops accepting, finishes requests in flight, stops the workers. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  maxBodyBytes: 1024 * 1024,
  maxBatchBytes: 10 * 1024 * 1024,
  maxBatchLines: 1000,
  queueSize: 64,
  timeoutMs: 10_000,
  batchTimeoutMs: 120_000,
  shutdownGraceMs: 30_000,
} as const;

const ROOT = new URL('../../../', import.meta.url);
/** Time limit of one audit chunk on the pool, from when a worker takes it (about 25 articles). */
const AUDIT_CHUNK_TIMEOUT_MS = 120_000;

function readOptional(rel: string): string | undefined {
  try {
    return readFileSync(new URL(rel, ROOT), 'utf8');
  } catch {
    return undefined;
  }
}

/** The web page's files, read once at start-up. */
function loadWeb(): Map<string, StaticFile> {
  const web = new Map<string, StaticFile>();
  const html = readOptional('web/index.html');
  if (html !== undefined) {
    web.set('/', { contentType: 'text/html; charset=utf-8', body: html });
    web.set('/index.html', { contentType: 'text/html; charset=utf-8', body: html });
  }
  const js = readOptional('web/app.js');
  if (js !== undefined) web.set('/app.js', { contentType: 'text/javascript; charset=utf-8', body: js });
  const css = readOptional('web/style.css');
  if (css !== undefined) web.set('/style.css', { contentType: 'text/css; charset=utf-8', body: css });
  return web;
}

function packageVersion(): string {
  const text = readOptional('package.json');
  if (!text) return '0.0.0';
  const v = (JSON.parse(text) as { version?: unknown }).version;
  return typeof v === 'string' ? v : '0.0.0';
}

function positiveInt(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min)
    throw new StanceError('USAGE', `${name} must be a whole number ≥ ${min}; got ${v}`, { field: name });
  return v;
}

/** Checks `--cors` values: '*' or origins like https://news.example (scheme, host, optional port). */
function corsList(cors: string | readonly string[] | undefined): string[] {
  const list = cors === undefined ? [] : typeof cors === 'string' ? cors.split(',') : [...cors];
  return list.map((o) => {
    const origin = o.trim().replace(/\/$/, '');
    if (origin === '*' || /^https?:\/\/[^/\s?#]+$/i.test(origin)) return origin;
    throw new StanceError(
      'USAGE',
      `--cors expects * or an origin like https://news.example; got ${JSON.stringify(o)}`,
      { field: 'cors' },
    );
  });
}

/** Starts the pool and the HTTP server; resolves once it is listening. */
export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? silentLogger;
  const port = opts.port ?? DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new StanceError('USAGE', `port must be 0..65535; got ${port}`, { field: 'port' });
  const host = opts.host ?? DEFAULTS.host;
  const workers = positiveInt('workers', opts.workers ?? availableParallelism());
  const limits = {
    maxBodyBytes: positiveInt('maxBodyBytes', opts.maxBodyBytes ?? DEFAULTS.maxBodyBytes),
    maxBatchBytes: positiveInt(
      'maxBatchBytes',
      opts.maxBatchBytes ?? Math.max(DEFAULTS.maxBatchBytes, opts.maxBodyBytes ?? 0),
    ),
    maxBatchLines: positiveInt('maxBatchLines', opts.maxBatchLines ?? DEFAULTS.maxBatchLines),
    batchWindow: workers,
    timeoutMs: positiveInt('timeoutMs', opts.timeoutMs ?? DEFAULTS.timeoutMs),
    batchTimeoutMs: positiveInt('batchTimeoutMs', opts.batchTimeoutMs ?? DEFAULTS.batchTimeoutMs),
  };
  const corsOrigins = corsList(opts.cors);
  const queueSize = positiveInt('queueSize', opts.queueSize ?? DEFAULTS.queueSize, 0);
  const graceMs = opts.shutdownGraceMs ?? DEFAULTS.shutdownGraceMs;
  const token = checkToken(opts.token === '' ? undefined : opts.token);
  if (opts.db !== undefined && token === undefined && !isLoopback(host))
    throw new StanceError(
      'USAGE',
      `refusing to listen on ${host} without a token: the corpus would be open to the network. ` +
        'Give --token (or set STANCECHECK_TOKEN) for its write routes, listen on 127.0.0.1, or turn the corpus off with --no-corpus',
      { field: 'token' },
    );

  // The corpus threads and the worker pool start side by side; if either fails, both are stopped
  // and the start fails with that error (a bad --db gets the store's own DB_OPEN, DB_VERSION…).
  // An audit scores on the pool once both have started (see corpus-service.ts).
  const audits: { pool?: AuditPoolRef } = {};
  let auditChunks = 0;
  const [corpusStart, poolStart] = await Promise.allSettled([
    opts.db === undefined
      ? Promise.resolve(undefined)
      : startCorpusService({
          db: opts.db,
          ...(opts.model === undefined ? {} : { model: opts.model }),
          queueSize: Math.max(queueSize, 1),
          readTimeoutMs: limits.timeoutMs,
          auditPool: () => audits.pool,
        }),
    WorkerPool.start({
      size: workers,
      queueSize,
      timeoutMs: limits.timeoutMs,
      modelPath: opts.model,
      ...(opts.loaderUrl ? { loaderUrl: opts.loaderUrl } : {}),
      // Pages are checked too: load the HTML extractor up front, not on the first page's request.
      preloadHtml: true,
      logger,
    }),
  ]);
  if (corpusStart.status === 'rejected' || poolStart.status === 'rejected') {
    if (corpusStart.status === 'fulfilled') await corpusStart.value?.close();
    if (poolStart.status === 'fulfilled') await poolStart.value.close();
    throw corpusStart.status === 'rejected'
      ? corpusStart.reason
      : (poolStart as PromiseRejectedResult).reason;
  }
  const corpus: CorpusService | undefined = corpusStart.value;
  const pool = poolStart.value;
  audits.pool = {
    size: pool.size,
    // A chunk is charged from when a worker takes it; past the limit the writer scores it itself.
    run: (task) => {
      auditChunks++;
      return pool.run(task, { timeoutMs: AUDIT_CHUNK_TIMEOUT_MS, timeoutFrom: 'start' });
    },
  };

  let shuttingDown = false;
  let inflight = 0;
  let drained: (() => void) | undefined;
  const metrics = new Metrics();
  metrics.addGauge({
    name: 'stancecheck_queue_depth',
    help: 'Jobs waiting for a worker.',
    read: () => pool.stats().queued,
  });
  metrics.addGauge({
    name: 'stancecheck_workers_busy',
    help: 'Workers checking an article now.',
    read: () => pool.stats().busy,
  });
  metrics.addGauge({
    name: 'stancecheck_workers',
    help: 'Worker threads with a loaded model.',
    read: () => pool.stats().ready,
  });
  metrics.addGauge({
    name: 'stancecheck_http_inflight_requests',
    help: 'HTTP requests being answered.',
    read: () => inflight,
  });
  metrics.addGauge({
    name: 'stancecheck_worker_timeouts',
    help: 'Jobs that ran out of time since start.',
    read: () => pool.stats().timeouts,
  });
  metrics.addGauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory of the server process (all threads).',
    read: () => process.memoryUsage.rss(),
  });

  const app = createApp({
    runner: pool,
    logger,
    metrics,
    limits,
    web: loadWeb(),
    version: packageVersion(),
    isShuttingDown: () => shuttingDown,
    corsOrigins,
    ...(corpus ? { corpus } : {}),
    ...(token === undefined ? {} : { token }),
  });

  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s)) as Server;
      s.once('error', reject);
    });
  } catch (e) {
    await pool.close();
    await corpus?.close();
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE')
      throw new StanceError(
        'USAGE',
        `port ${port} on ${host} is already in use; pick another with --port`,
        { field: 'port' },
        { cause: e },
      );
    if (err.code === 'EACCES')
      throw new StanceError(
        'USAGE',
        `not allowed to listen on ${host}:${port}; use a port above 1023`,
        { field: 'port' },
        { cause: e },
      );
    throw e;
  }
  server.headersTimeout = 20_000;
  server.requestTimeout = Math.max(60_000, limits.timeoutMs * 2);
  // `Expect: 100-continue` (curl sends it for bodies over 1 KB): refuse an oversized upload before
  // the client sends it, by answering with the 413 instead of "100 Continue".
  server.on('checkContinue', (req, res) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const url = req.url ?? '';
    const limit =
      url.startsWith('/v1/batch') || url.startsWith('/v1/corpus/ingest')
        ? limits.maxBatchBytes
        : limits.maxBodyBytes;
    if (!(Number.isFinite(declared) && declared > limit)) res.writeContinue();
    server.emit('request', req, res);
  });
  server.on('request', (_req, res) => {
    inflight++;
    res.once('close', () => {
      inflight--;
      if (inflight === 0) drained?.();
    });
  });

  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  const close = async (): Promise<void> => {
    shuttingDown = true;
    const closedServer = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inflight > 0) {
      logger.log('info', 'waiting for requests in flight', { inflight });
      await new Promise<void>((resolve) => {
        drained = resolve;
        setTimeout(resolve, graceMs).unref();
      });
    }
    server.closeAllConnections();
    await closedServer;
    await pool.close();
    await corpus?.close();
    logger.log('info', 'stopped', {});
  };

  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    host: address.address,
    stats: () => ({ ...pool.stats(), inflight, auditChunks }),
    corpus: corpus
      ? { backend: corpus.backend, location: corpus.location, writable: token !== undefined }
      : undefined,
    close: () => (closing ??= close()),
  };
}

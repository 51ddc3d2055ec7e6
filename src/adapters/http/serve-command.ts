import { existsSync } from 'node:fs';
import { StanceError } from '../../core/errors.js';
import { jsonLineLogger, type Logger } from './logger.js';
import { startServer, type ServerOptions } from './server.js';

/** Options of `stancecheck serve`. */
export interface ServeCommandOptions {
  /** Default 8080. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Model file; default the bundled model. */
  model?: string;
  /** Default 1 MB. */
  maxBodyBytes?: number;
  /** Default: one per core. */
  workers?: number;
  /** Default 64. */
  queueSize?: number;
  /** Default 10000. */
  timeoutMs?: number;
  /** Most lines per batch. Default 1000. */
  maxBatchLines?: number;
  /** Time budget of a whole batch request, ms. Default 120000. */
  batchTimeoutMs?: number;
  /** Allowed cross-origin callers, comma-separated or repeated; '*' for any. Default: none. */
  cors?: string | string[];
  /** The corpus: SQLite path or postgres:// URL. Default: see {@link corpusDb}. */
  db?: string;
  /** false (`--no-corpus`): no corpus even if ./stancecheck.db exists. */
  corpus?: boolean;
  /** Bearer token of the corpus write routes. Default $STANCECHECK_TOKEN. */
  token?: string;
}

/** The options `serve` hands to the server as they are. */
const SERVER_OPTIONS = [
  'port',
  'host',
  'model',
  'maxBodyBytes',
  'workers',
  'queueSize',
  'timeoutMs',
  'maxBatchLines',
  'batchTimeoutMs',
  'cors',
] as const satisfies readonly (keyof ServeCommandOptions & keyof ServerOptions)[];

function pick<T, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = o[k];
  return out;
}

/** The default corpus file: the CLI's. */
const DEFAULT_DB_FILE = './stancecheck.db';

/**
 * Which corpus `serve` opens: `--db`, else $STANCECHECK_DB, else ./stancecheck.db when that file
 * exists (so `serve` in a folder without a corpus creates no database file), else none (the corpus
 * routes answer 404). `--no-corpus` turns it off.
 */
export function corpusDb(
  opts: Pick<ServeCommandOptions, 'db' | 'corpus'>,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (opts.corpus === false) {
    if (opts.db !== undefined) throw new StanceError('USAGE', 'give either --db or --no-corpus, not both');
    return undefined;
  }
  if (opts.db !== undefined && opts.db !== '') return opts.db;
  if (env.STANCECHECK_DB !== undefined && env.STANCECHECK_DB !== '') return env.STANCECHECK_DB;
  return existsSync(DEFAULT_DB_FILE) ? DEFAULT_DB_FILE : undefined;
}

/**
 * `stancecheck serve`: starts the server, logs JSON lines to stdout, and on SIGTERM or SIGINT
 * stops taking requests, finishes those in flight and resolves. Rejects with a StanceError if
 * it cannot start (bad option, missing model, port in use).
 */
export async function serveCommand(
  opts: ServeCommandOptions,
  logger: Logger = jsonLineLogger(),
): Promise<void> {
  const db = corpusDb(opts);
  const token = opts.token ?? (process.env.STANCECHECK_TOKEN || undefined);
  // Known options only: the CLI passes all its (global) options.
  const serverOpts: ServerOptions = {
    ...pick(opts, SERVER_OPTIONS),
    logger,
    ...(db === undefined ? {} : { db }),
    ...(token === undefined ? {} : { token }),
  };
  const server = await startServer(serverOpts);
  const stats = server.stats();
  logger.log('info', 'listening', {
    url: server.url,
    port: server.port,
    workers: stats.workers,
    cors: opts.cors ?? 'off',
    corpus: server.corpus
      ? `${server.corpus.location} (${server.corpus.writable ? 'writes need the bearer token' : 'read-only: no token'})`
      : 'off',
    model: opts.model ?? 'default',
    pid: process.pid,
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      logger.log('info', 'shutting down', { signal, inflight: server.stats().inflight });
      server.close().then(resolve, (e: unknown) => {
        logger.log('error', 'shutdown failed', { error: e instanceof Error ? e.message : String(e) });
        resolve();
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/**
 * {@link JobQueue} on Redis: BullMQ carries one small message per chunk (job id + chunk number)
 * and does the leasing, stalled-chunk recovery, retries and backoff; the job's own data sits in
 * plain Redis hashes beside it:
 *
 * Keys (NS is the namespace, default `stancecheck`; BullMQ's own keys are `bull:NS:…`):
 *   NS:job:ID:meta     pairs, chunks, chunkSize, createdAt, scored (pairs counted once)
 *   NS:job:ID:bodies   body key → body text (each body once per job)
 *   NS:job:ID:chunks   chunk → JSON [[headline, bodyId, bodyKey], …]
 *   NS:job:ID:results  chunk → JSON [{label, probabilities}, …] (HSETNX: written once)
 *   NS:job:ID:failed   chunk → JSON {code, message, attempts} for chunks failed for good
 */
import { randomBytes } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { PairResult } from '../../core/classify-pairs.js';
import { StanceError, toStanceError, type ErrorCode } from '../../core/errors.js';
import type {
  ChunkScorer,
  FailedChunk,
  JobQueue,
  JobSpec,
  JobStatus,
  QueuedPair,
  RunningWorker,
  WorkOptions,
} from '../cli/job-queue.js';

/** Default namespace: the BullMQ queue `stancecheck` and keys `stancecheck:job:…`. */
export const DEFAULT_NAMESPACE = 'stancecheck';

/** Default tries per chunk (the first run included) and the first retry delay. */
export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1000;

/** Errors that retrying cannot fix: the chunk fails at once. */
const INPUT_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'INPUT_EMPTY',
  'INPUT_FORMAT',
  'INPUT_ENCODING',
  'INPUT_TOO_LARGE',
  'UNKNOWN_BODY_ID',
  'JOB_NOT_FOUND',
]);

/** Options of {@link openRedisQueue}. */
export interface RedisQueueOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /**
   * Separates queues sharing one Redis (letters, digits, `.`, `_`, `-`). Submitters and workers
   * must use the same one. Default {@link DEFAULT_NAMESPACE}.
   */
  namespace?: string;
  /** Tries per chunk, the first included. Default {@link DEFAULT_ATTEMPTS}. */
  attempts?: number;
  /** Delay before the first retry; doubles each retry. Default {@link DEFAULT_BACKOFF_MS}. */
  backoffMs?: number;
}

interface ChunkData {
  job: string;
  chunk: number;
}

type StoredRow = [headline: string, bodyId: string, bodyKey: string];

interface StoredFailure {
  code: ErrorCode;
  message: string;
  attempts: number;
}

function keys(ns: string, id: string): Record<'meta' | 'bodies' | 'chunks' | 'results' | 'failed', string> {
  const p = `${ns}:job:${id}:`;
  return {
    meta: `${p}meta`,
    bodies: `${p}bodies`,
    chunks: `${p}chunks`,
    results: `${p}results`,
    failed: `${p}failed`,
  };
}

/** Stores a chunk's results unless they are there already, and counts its pairs once. */
const STORE_RESULTS = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('HINCRBY', KEYS[2], 'scored', ARGV[3])
  redis.call('HDEL', KEYS[3], ARGV[1])
  return 1
end
return 0`;

function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new StanceError('USAGE', `--redis expects a URL such as redis://127.0.0.1:6379; found ${url}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new StanceError('USAGE', `--redis expects a redis:// or rediss:// URL; found ${url}`);
  }
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // Commands wait while Redis restarts instead of failing (BullMQ's workers need this).
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(100 * times, 2000),
  };
}

/** Fails fast, with a clear error, when nothing answers at `url`. */
async function ping(url: string, options: RedisOptions): Promise<void> {
  const probe = new Redis({
    ...options,
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
  });
  let cause: unknown;
  probe.on('error', (e) => (cause ??= e)); // the socket error (ECONNREFUSED…) says more than the rejection
  try {
    await probe.connect();
    await probe.ping();
  } catch (rejection) {
    const e = cause ?? rejection;
    throw new StanceError(
      'QUEUE_UNAVAILABLE',
      `cannot reach Redis at ${url}; expected a running Redis (e.g. \`redis-server\`, or set --redis / STANCECHECK_REDIS), found: ${e instanceof Error ? e.message : String(e)}`,
      {},
      { cause: e },
    );
  } finally {
    probe.disconnect();
  }
}

function newJobId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

function parseRows(raw: string, id: string, chunk: number): StoredRow[] {
  let rows: unknown;
  try {
    rows = JSON.parse(raw);
  } catch (e) {
    throw new StanceError(
      'INPUT_FORMAT',
      `chunk ${chunk} of job ${id} is not valid JSON; found: ${String(e)}`,
    );
  }
  if (!Array.isArray(rows)) {
    throw new StanceError(
      'INPUT_FORMAT',
      `chunk ${chunk} of job ${id}: expected a list of rows; found ${typeof rows}`,
    );
  }
  rows.forEach((r: unknown, i) => {
    const ok =
      Array.isArray(r) &&
      r.length === 3 &&
      typeof r[0] === 'string' &&
      r[0].trim() !== '' &&
      typeof r[1] === 'string' &&
      typeof r[2] === 'string';
    if (!ok) {
      throw new StanceError(
        'INPUT_FORMAT',
        `pair ${i + 1} of chunk ${chunk} of job ${id}: expected [headline, bodyId, bodyKey] with a non-empty headline; found ${JSON.stringify(r)?.slice(0, 200)}`,
        { row: i + 1 },
      );
    }
  });
  return rows as StoredRow[];
}

/** Opens the queue at `options.url` (after checking that Redis answers). */
export async function openRedisQueue(options: RedisQueueOptions): Promise<JobQueue> {
  const ns = options.namespace ?? DEFAULT_NAMESPACE;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(ns)) {
    throw new StanceError(
      'USAGE',
      `--namespace expects 1–64 letters, digits, ".", "_" or "-"; found ${JSON.stringify(ns)}`,
    );
  }
  const ropts = redisOptions(options.url);
  await ping(options.url, ropts);
  const redis = new Redis(ropts);
  redis.on('error', () => undefined); // reconnects on its own; commands wait meanwhile
  redis.defineCommand('storeResults', { numberOfKeys: 3, lua: STORE_RESULTS });
  let queue: Queue | undefined;
  const bull = (): Queue => (queue ??= new Queue(ns, { connection: redis }));
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const workers: Worker[] = [];

  async function meta(
    id: string,
  ): Promise<{ pairs: number; chunks: number; chunkSize: number; scored: number; createdAt: string }> {
    const m = await redis.hgetall(keys(ns, id).meta);
    if (m.pairs === undefined) {
      throw new StanceError(
        'JOB_NOT_FOUND',
        `no job ${id} in the queue at ${options.url}; expected the id \`queue submit\` printed`,
      );
    }
    return {
      pairs: Number(m.pairs),
      chunks: Number(m.chunks),
      chunkSize: Number(m.chunkSize),
      scored: Number(m.scored ?? 0),
      createdAt: m.createdAt ?? '',
    };
  }

  const jq: JobQueue = {
    async submit(spec: JobSpec): Promise<string> {
      if (spec.pairs.length === 0)
        throw new StanceError('INPUT_EMPTY', 'the job has no pairs; expected at least one');
      if (!Number.isInteger(spec.chunkSize) || spec.chunkSize < 1) {
        throw new StanceError('USAGE', `chunk size expects a positive integer; found ${spec.chunkSize}`);
      }
      const id = newJobId();
      const k = keys(ns, id);
      // Bodies: each one the job uses, once.
      const used = new Set(spec.pairs.map((p) => p.bodyKey));
      let batch: string[] = [];
      const flushBodies = async (): Promise<void> => {
        if (batch.length > 0) await redis.hset(k.bodies, ...batch);
        batch = [];
      };
      for (const key of used) {
        const body = spec.bodies.get(key);
        if (body === undefined) {
          throw new StanceError(
            'UNKNOWN_BODY_ID',
            `a pair names body ${key}, which the job's bodies do not have`,
          );
        }
        batch.push(key, body);
        if (batch.length >= 1000) await flushBodies();
      }
      await flushBodies();
      const chunks = Math.ceil(spec.pairs.length / spec.chunkSize);
      let cbatch: string[] = [];
      for (let c = 0; c < chunks; c++) {
        const rows: StoredRow[] = spec.pairs
          .slice(c * spec.chunkSize, (c + 1) * spec.chunkSize)
          .map((p: QueuedPair) => [p.headline, p.bodyId, p.bodyKey]);
        cbatch.push(String(c), JSON.stringify(rows));
        if (cbatch.length >= 200) {
          await redis.hset(k.chunks, ...cbatch);
          cbatch = [];
        }
      }
      if (cbatch.length > 0) await redis.hset(k.chunks, ...cbatch);
      await redis.hset(k.meta, {
        pairs: spec.pairs.length,
        chunks,
        chunkSize: spec.chunkSize,
        scored: 0,
        createdAt: new Date().toISOString(),
      });
      for (let c = 0; c < chunks; c += 500) {
        const jobs = [];
        for (let i = c; i < Math.min(chunks, c + 500); i++) {
          jobs.push({
            name: 'chunk',
            data: { job: id, chunk: i } satisfies ChunkData,
            opts: {
              jobId: `${id}-${i}`,
              attempts,
              backoff: { type: 'exponential', delay: backoffMs },
              removeOnComplete: true,
              removeOnFail: { age: 7 * 24 * 3600 },
            },
          });
        }
        await bull().addBulk(jobs);
      }
      return id;
    },

    async status(id: string): Promise<JobStatus> {
      const m = await meta(id);
      const k = keys(ns, id);
      const [done, failedRaw] = await Promise.all([redis.hkeys(k.results), redis.hgetall(k.failed)]);
      const doneSet = new Set(done.map(Number));
      const failed: FailedChunk[] = [];
      const pairsOf = (c: number): number => Math.min(m.chunkSize, m.pairs - c * m.chunkSize);
      const recorded = new Set<number>();
      for (const [c, v] of Object.entries(failedRaw)) {
        const f = JSON.parse(v) as StoredFailure;
        const chunk = Number(c);
        if (doneSet.has(chunk)) continue;
        recorded.add(chunk);
        failed.push({ chunk, firstPair: chunk * m.chunkSize + 1, pairs: pairsOf(chunk), ...f });
      }
      // Chunks BullMQ failed without our processor seeing it (e.g. stalled too often), or lost.
      const open: number[] = [];
      for (let c = 0; c < m.chunks; c++) if (!doneSet.has(c) && !recorded.has(c)) open.push(c);
      for (let i = 0; i < open.length; i += 200) {
        const slice = open.slice(i, i + 200);
        const states = await Promise.all(slice.map((c) => bull().getJobState(`${id}-${c}`)));
        for (let j = 0; j < slice.length; j++) {
          const c = slice[j] as number;
          const state = states[j];
          if (state === 'failed' || state === 'unknown') {
            // Results may have landed between the two reads.
            if ((await redis.hexists(k.results, String(c))) === 1) {
              doneSet.add(c);
              continue;
            }
            const bj = state === 'failed' ? await bull().getJob(`${id}-${c}`) : undefined;
            failed.push({
              chunk: c,
              firstPair: c * m.chunkSize + 1,
              pairs: pairsOf(c),
              code: 'INTERNAL',
              message:
                state === 'failed'
                  ? (bj?.failedReason ?? 'failed in the queue')
                  : 'the chunk is missing from the queue (was Redis flushed or run without persistence?)',
              attempts: bj?.attemptsMade ?? 0,
            });
          }
        }
      }
      failed.sort((a, b) => a.chunk - b.chunk);
      const doneChunks = doneSet.size;
      const state =
        doneChunks === m.chunks ? 'done' : doneChunks + failed.length === m.chunks ? 'failed' : 'running';
      return {
        id,
        pairs: m.pairs,
        chunks: m.chunks,
        chunkSize: m.chunkSize,
        // From the chunks read, not the counter read earlier, so the figures agree with each other.
        scoredPairs: [...doneSet].reduce((n, c) => n + pairsOf(c), 0),
        doneChunks,
        failed,
        state,
        createdAt: m.createdAt,
      };
    },

    async *results(id: string) {
      const m = await meta(id);
      const k = keys(ns, id);
      for (let c = 0; c < m.chunks; c += 50) {
        const fields = [];
        for (let i = c; i < Math.min(m.chunks, c + 50); i++) fields.push(String(i));
        const [inputs, outputs] = await Promise.all([
          redis.hmget(k.chunks, ...fields),
          redis.hmget(k.results, ...fields),
        ]);
        for (let j = 0; j < fields.length; j++) {
          const out = outputs[j];
          if (!out) {
            yield { unscored: Math.min(m.chunkSize, m.pairs - (c + j) * m.chunkSize) };
            continue;
          }
          const rows = parseRows(inputs[j] ?? '[]', id, c + j);
          const res = JSON.parse(out) as PairResult[];
          for (let r = 0; r < rows.length; r++) {
            const [headline, bodyId, bodyKey] = rows[r] as StoredRow;
            yield { pair: { headline, bodyId, bodyKey }, result: res[r] as PairResult };
          }
        }
      }
    },

    async work(scorer: ChunkScorer, wo: WorkOptions): Promise<RunningWorker> {
      const emit = wo.onEvent ?? (() => undefined);
      const conn = new Redis(ropts);
      conn.on('error', () => undefined);
      const process = async (bj: Job<ChunkData>): Promise<void> => {
        const { job: id, chunk } = bj.data;
        const k = keys(ns, id);
        try {
          if ((await redis.hexists(k.results, String(chunk))) === 1) return; // scored already
          const raw = await redis.hget(k.chunks, String(chunk));
          if (raw === null) {
            throw new StanceError(
              'JOB_NOT_FOUND',
              `chunk ${chunk} of job ${id} is not in Redis (job deleted?)`,
            );
          }
          const rows = parseRows(raw, id, chunk);
          emit({ type: 'started', job: id, chunk, pairs: rows.length });
          const results = await scorer({
            job: id,
            chunk,
            pairs: rows.map(([headline, , bodyKey]) => ({ headline, bodyKey })),
            fetchBodies: async (wanted) => {
              const out = new Map<string, string>();
              if (wanted.length === 0) return out;
              const texts = await redis.hmget(k.bodies, ...wanted);
              wanted.forEach((key, i) => {
                const t = texts[i];
                if (t === null || t === undefined) {
                  throw new StanceError(
                    'UNKNOWN_BODY_ID',
                    `chunk ${chunk} of job ${id} names body ${key}, which the job does not store`,
                  );
                }
                out.set(key, t);
              });
              return out;
            },
          });
          if (results.length !== rows.length) {
            throw new StanceError(
              'INTERNAL',
              `scored ${results.length} pairs of chunk ${chunk}; expected ${rows.length}`,
            );
          }
          await (
            redis as unknown as { storeResults(...a: (string | number)[]): Promise<number> }
          ).storeResults(k.results, k.meta, k.failed, String(chunk), JSON.stringify(results), rows.length);
          emit({ type: 'completed', job: id, chunk, pairs: rows.length });
        } catch (e) {
          const err = toStanceError(e);
          const input = INPUT_CODES.has(err.code);
          const final = input || bj.attemptsMade + 1 >= (bj.opts.attempts ?? 1);
          emit({ type: 'failed', job: id, chunk, final, message: err.message });
          if (final) {
            const failure: StoredFailure = {
              code: err.code,
              message: err.message,
              attempts: bj.attemptsMade + 1,
            };
            await redis.hset(k.failed, String(chunk), JSON.stringify(failure));
          }
          throw input ? new UnrecoverableError(err.message) : err;
        }
      };
      const worker = new Worker<ChunkData>(ns, process, {
        connection: conn,
        concurrency: wo.concurrency,
        maxStalledCount: 2,
        ...(wo.lockDurationMs !== undefined ? { lockDuration: wo.lockDurationMs } : {}),
        ...(wo.stalledIntervalMs !== undefined ? { stalledInterval: wo.stalledIntervalMs } : {}),
      });
      worker.on('error', (e) => emit({ type: 'error', message: e.message }));
      workers.push(worker);
      await worker.waitUntilReady();
      return {
        async close() {
          await worker.close();
          conn.disconnect();
        },
      };
    },

    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await queue?.close();
      redis.disconnect();
    },
  };
  return jq;
}

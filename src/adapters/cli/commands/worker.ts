/**
 * `stancecheck worker`: scores queued chunks until SIGTERM or SIGINT, then finishes the chunks in
 * flight and stops. Prepared bodies are kept (bounded) across the chunks of a job, so a worker
 * fetches and prepares each body once per job while it stays in the cache.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Command } from 'commander';
import type { PreparedBody } from '../../../core/checker.js';
import type { Checker } from '../../../core/checker.js';
import { bodyCacheKey, classifyPairs, type Pair, type PairResult } from '../../../core/classify-pairs.js';
import type { ChunkScorer, WorkerEvent } from '../job-queue.js';
import { addQueueOptions, openQueue, type QueueOptions } from './queue.js';

/** Prepared bodies kept per worker process. */
const BODY_CACHE_SIZE = 4096;
/** Pairs scored between two yields to the event loop (lock renewal, signals). */
const YIELD_EVERY = 64;

/** A Map that forgets the least recently used entry beyond `capacity`. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
}

/** A chunk scorer over `checker`: prepares each body once per job (while cached), yields often. */
export function chunkScorer(checker: Checker, cacheSize = BODY_CACHE_SIZE): ChunkScorer {
  const lru = new Lru<PreparedBody>(cacheSize);
  return async (work) => {
    const chunkBodies = new Map<string, PreparedBody>();
    const missing = new Set<string>();
    for (const p of work.pairs) {
      const key = bodyCacheKey({ body: '', bodyKey: `${work.job}/${p.bodyKey}` });
      if (chunkBodies.has(key)) continue;
      const cached = lru.get(key);
      if (cached) chunkBodies.set(key, cached);
      else missing.add(p.bodyKey);
    }
    const texts = await work.fetchBodies([...missing]);
    const pairs: Pair[] = work.pairs.map((p) => ({
      headline: p.headline,
      body: texts.get(p.bodyKey) ?? '',
      bodyKey: `${work.job}/${p.bodyKey}`,
    }));
    const out: PairResult[] = [];
    for (const r of classifyPairs(checker, pairs, { cache: chunkBodies })) {
      out.push(r);
      if (out.length % YIELD_EVERY === 0) await yieldToLoop();
    }
    for (const [k, v] of chunkBodies) lru.set(k, v);
    return out;
  };
}

/** Options of `worker`. */
export interface WorkerOptions extends QueueOptions {
  concurrency?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  model?: string;
  quiet?: boolean;
  json?: boolean;
}

/** Runs `worker` until SIGTERM/SIGINT. */
export async function runWorker(o: WorkerOptions): Promise<void> {
  // The model (and the language detector) load here, not at every command's start-up.
  const { loadChecker } = await import('../../fs/load-checker.js');
  const checker = await loadChecker(o.model);
  const queue = await openQueue(o);
  const log = (e: WorkerEvent | { type: 'ready' | 'stopping' | 'stopped'; concurrency?: number }): void => {
    if (o.quiet && e.type !== 'error') return;
    if (o.json) {
      process.stderr.write(`${JSON.stringify({ ...e, pid: process.pid, time: new Date().toISOString() })}\n`);
      return;
    }
    const text =
      e.type === 'started' || e.type === 'completed'
        ? `chunk ${e.chunk} of job ${e.job} ${e.type} (${e.pairs} pairs)`
        : e.type === 'failed'
          ? `chunk ${e.chunk} of job ${e.job} failed${e.final ? ' for good' : ', will retry'}: ${e.message}`
          : e.type === 'error'
            ? `queue error: ${e.message}`
            : e.type === 'ready'
              ? `worker ${process.pid} ready (concurrency ${e.concurrency})`
              : `worker ${process.pid} ${e.type}`;
    process.stderr.write(`stancecheck: ${text}\n`);
  };
  const concurrency = o.concurrency ?? 1;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const running = await queue.work(chunkScorer(checker), {
    concurrency,
    onEvent: log,
    ...(o.lockDurationMs !== undefined ? { lockDurationMs: o.lockDurationMs } : {}),
    ...(o.stalledIntervalMs !== undefined ? { stalledIntervalMs: o.stalledIntervalMs } : {}),
  });
  log({ type: 'ready', concurrency });
  await stopped;
  log({ type: 'stopping' });
  await running.close();
  await queue.close();
  log({ type: 'stopped' });
}

/** Registers `worker`. */
export function registerWorker(program: Command, parseIntOption: (v: string) => number): void {
  addQueueOptions(program.command('worker'))
    .description('score queued chunks (see `stancecheck queue`) until SIGTERM; run one per core')
    .option(
      '--concurrency <n>',
      'chunks in flight in this process (default 1; scoring uses one core)',
      parseIntOption,
    )
    .option(
      '--lock-duration-ms <n>',
      'a chunk whose worker is silent this long is taken over (default 30000)',
      parseIntOption,
    )
    .option('--stalled-interval-ms <n>', 'how often to look for such chunks (default 30000)', parseIntOption)
    .option('--quiet', 'log errors only')
    .option('--json', 'log lines and errors as JSON on stderr')
    .addHelpText(
      'after',
      `
Examples:
  $ stancecheck worker --redis redis://queue.internal:6379
  $ for i in $(seq $(nproc)); do stancecheck worker --quiet & done`,
    )
    .action(async (_o: WorkerOptions, cmd: Command) => {
      await runWorker(cmd.optsWithGlobals<WorkerOptions>());
    });
}

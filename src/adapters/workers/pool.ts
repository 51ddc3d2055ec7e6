/**
 * The shared worker pool: N worker threads, each with its own checker, behind a bounded queue.
 * The HTTP server, `batch --workers N`, `check` (for its --timeout) and `corpus audit --workers N`
 * run their work on it.
 *
 * API
 * ```ts
 * const pool = await WorkerPool.start({ size: 4, queueSize: 64, timeoutMs: 10_000, modelPath });
 * // One article (validated and normalised with toArticle first) → the verdict as JSON text:
 * const json = await pool.run({ kind: 'check', article }, { timeoutMs: 5_000, signal });
 * // A page → the verdict of its extracted article:
 * const json2 = await pool.run({ kind: 'html', html });
 * // A chunk of pairs against the bodies it names → PairResult[] in the chunk's order:
 * const results = await pool.run({
 *   kind: 'classifyChunk',
 *   pairs: [{ headline: 'Shark on motorway', bodyKey: '712' }, …],
 *   bodies: { '712': 'body text…' },
 * });
 * // A chunk of stored articles for the corpus audit → their audit records, in order:
 * const records = await pool.run({ kind: 'auditChunk', articles: storedArticles, thresholds });
 * // A limit per item (the article, or each pair of a chunk) instead of per task:
 * await pool.run(chunkTask, { itemTimeoutMs: 60_000 }); // TIMEOUT with `row` = the pair in the chunk
 * pool.stats(); // { workers, ready, busy, queued, timeouts, restarts }
 * await pool.close(); // finishes queued and running tasks, then stops the threads
 * await pool.destroy(); // or: rejects queued tasks and stops the threads now (a caller that failed)
 * ```
 * - `run` resolves with the task's result ({@link TaskResults}) or rejects with a StanceError:
 *   the task's own error (for a chunk, `row` is the 1-based position of the failing pair in the
 *   chunk); OVERLOADED when the queue already holds `queueSize` tasks; TIMEOUT when the task ran
 *   out of time (its worker is terminated and replaced, so a stuck task never holds a thread);
 *   TIMEOUT too when `signal` aborts while the task still waits in the queue (it is dropped and
 *   delays nobody; a task already running finishes). INTERNAL if a worker dies mid-task.
 * - Timeouts: `timeoutMs` per run overrides the pool's; it counts from submission (queue wait
 *   included) unless `timeoutFrom: 'start'`, which counts from when a worker takes the task (for a
 *   per-article time limit that must not charge the queue). No timeout when neither is set.
 * - Tasks run one per worker at a time, in submission order; results come back per call, so a
 *   caller that needs input order awaits its promises in order (see the HTTP batch route).
 * - Each worker prepares a chunk's bodies once and keeps them (bounded) for later chunks while the
 *   text under a key is unchanged; send a chunk's pairs grouped by body for the best reuse.
 */
import type { Worker } from 'node:worker_threads';
import { StanceError } from '../../core/errors.js';
import { fromWire, spawnThread } from './spawn.js';
import type { ModelCard } from '../../core/model/card.js';
import type {
  ResultOf,
  Task,
  TaskMessage,
  TaskResults,
  TaskKind,
  WorkerInit,
  WorkerMessage,
} from './protocol.js';

/** Where the pool logs worker restarts and timeouts (the HTTP Logger fits). */
export interface PoolLogger {
  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

/** How the pool is sized and bounded. */
export interface PoolOptions {
  /** Worker threads, each with its own checker. */
  size: number;
  /** Tasks that may wait for a free worker; one more is refused with OVERLOADED. Default: unbounded. */
  queueSize?: number;
  /** Default time limit per task, ms, from submission (queue wait included). Default: none. */
  timeoutMs?: number;
  /** Model file; undefined means the default model. */
  modelPath: string | undefined;
  /** Module exporting `loadChecker(path?)`; defaults to the real model loader. */
  loaderUrl?: string;
  /** Load the HTML extractor in each worker at start (a server); default: on the first HTML task. */
  preloadHtml?: boolean;
  /**
   * Old-generation heap limit of each worker, MB (default: Node's). A limit also makes V8 collect
   * sooner: `batch` sets one and keeps its peak memory down. A task that needs more fails with
   * INPUT_TOO_LARGE and its worker is replaced.
   */
  maxHeapMb?: number;
  logger?: PoolLogger;
}

/** Options of one {@link WorkerPool.run}. */
export interface RunOptions {
  /** Abort to drop the task while it still waits in the queue. */
  signal?: AbortSignal;
  /** Time limit for this task, ms; overrides the pool's `timeoutMs`. */
  timeoutMs?: number;
  /** Count the limit from submission (default) or from when a worker starts the task. */
  timeoutFrom?: 'submit' | 'start';
  /**
   * Time limit per item, ms: the article of a check, or each pair of a chunk. An item over it
   * rejects the task with TIMEOUT (for a chunk, `row` is the pair's 1-based position in it) and
   * its worker is replaced. Several items may share a task, so this is not a limit on the task.
   */
  itemTimeoutMs?: number;
}

/** Snapshot for health checks and gauges. */
export interface PoolStats {
  workers: number;
  ready: number;
  busy: number;
  queued: number;
  timeouts: number;
  restarts: number;
}

interface Pending {
  id: number;
  task: Task;
  resolve: (r: TaskResults[TaskKind]) => void;
  reject: (e: StanceError) => void;
  timeoutMs: number | undefined;
  timeoutFrom: 'submit' | 'start';
  itemTimeoutMs: number | undefined;
  timer: NodeJS.Timeout | undefined;
  slot: Slot | undefined;
  /** Removes the abort listener (once the task leaves the queue), so a long-lived signal does not collect them. */
  unlisten: (() => void) | undefined;
}

interface Slot {
  index: number;
  worker: Worker;
  /** The worker's item clock (see WorkerInit.clock). */
  clock: Int32Array;
  base: number;
  /** Polls the clock while a task with an item limit runs. */
  watch: NodeJS.Timeout | undefined;
  ready: boolean;
  pending: Pending | undefined;
  /** Set when we terminate it on purpose, so its exit is not treated as a crash. */
  retired: boolean;
}

const IS_TS = import.meta.url.endsWith('.ts');
const quiet: PoolLogger = { log: () => undefined };

function spawnWorker(init: WorkerInit, maxHeapMb: number | undefined): Worker {
  const limits = maxHeapMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: maxHeapMb } } : {};
  return spawnThread(new URL('./worker.js', import.meta.url), { workerData: init, ...limits });
}

function abandoned(signal: AbortSignal): StanceError {
  return signal.reason instanceof StanceError
    ? signal.reason
    : new StanceError('TIMEOUT', 'the task was abandoned before it started');
}

/** A bounded queue in front of a fixed set of worker threads; see the module comment. */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closing = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private timeouts = 0;
  private restarts = 0;
  private modelCard: ModelCard | undefined;
  private readonly init: Omit<WorkerInit, 'clock' | 'base'>;
  private readonly logger: PoolLogger;
  private readonly queueSize: number;

  private constructor(private readonly opts: PoolOptions) {
    this.init = {
      modelPath: opts.modelPath,
      loaderUrl:
        opts.loaderUrl ??
        new URL(IS_TS ? '../fs/load-checker.ts' : '../fs/load-checker.js', import.meta.url).href,
      preloadHtml: opts.preloadHtml ?? false,
    };
    this.logger = opts.logger ?? quiet;
    this.queueSize = opts.queueSize ?? Number.POSITIVE_INFINITY;
  }

  /** Starts `size` workers and resolves once every one has loaded its model (or rejects with the load error). */
  static async start(opts: PoolOptions): Promise<WorkerPool> {
    if (!Number.isInteger(opts.size) || opts.size < 1)
      throw new StanceError('USAGE', `workers must be a whole number ≥ 1; got ${opts.size}`);
    const q = opts.queueSize;
    if (q !== undefined && !(q === Number.POSITIVE_INFINITY || (Number.isInteger(q) && q >= 0))) {
      throw new StanceError('USAGE', `queue size must be a whole number ≥ 0; got ${q}`);
    }
    if (opts.timeoutMs !== undefined && !(opts.timeoutMs > 0))
      throw new StanceError('USAGE', `timeout must be > 0 ms; got ${opts.timeoutMs}`);
    const pool = new WorkerPool(opts);
    try {
      await Promise.all(Array.from({ length: opts.size }, (_, i) => pool.startSlot(i)));
    } catch (e) {
      await pool.terminateAll();
      throw e;
    }
    return pool;
  }

  /** The model card reported by the workers. */
  get card(): ModelCard {
    if (!this.modelCard) throw new StanceError('INTERNAL', 'no worker has loaded the model yet');
    return this.modelCard;
  }

  /** Worker threads (the pool's `size`). */
  get size(): number {
    return this.slots.length;
  }

  stats(): PoolStats {
    return {
      workers: this.slots.length,
      ready: this.slots.filter((s) => s.ready).length,
      busy: this.slots.filter((s) => s.pending).length,
      queued: this.queue.length,
      timeouts: this.timeouts,
      restarts: this.restarts,
    };
  }

  /** Runs one task on a worker; see the module comment for what it resolves and rejects with. */
  run<T extends Task>(task: T, options: RunOptions = {}): Promise<ResultOf<T>> {
    const { signal } = options;
    if (this.closing)
      return Promise.reject(new StanceError('OVERLOADED', 'stancecheck is shutting down; try again later'));
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs;
    if (timeoutMs !== undefined && !(timeoutMs > 0))
      return Promise.reject(new StanceError('USAGE', `timeout must be > 0 ms; got ${timeoutMs}`));
    const itemTimeoutMs = options.itemTimeoutMs;
    if (itemTimeoutMs !== undefined && !(itemTimeoutMs > 0 && Number.isFinite(itemTimeoutMs)))
      return Promise.reject(new StanceError('USAGE', `item timeout must be > 0 ms; got ${itemTimeoutMs}`));
    return new Promise<ResultOf<T>>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abandoned(signal));
        return;
      }
      const pending: Pending = {
        id: this.nextId++,
        task,
        resolve: resolve as (r: TaskResults[TaskKind]) => void,
        reject,
        timeoutMs,
        timeoutFrom: options.timeoutFrom ?? 'submit',
        itemTimeoutMs,
        timer: undefined,
        slot: undefined,
        unlisten: undefined,
      };
      const slot = this.slots.find((s) => s.ready && !s.pending);
      if (!slot && this.queue.length >= this.queueSize) {
        reject(
          new StanceError(
            'OVERLOADED',
            `too many requests in progress (${this.queue.length} queued, limit ${this.queueSize}); try again shortly`,
          ),
        );
        return;
      }
      if (pending.timeoutFrom === 'submit') this.arm(pending);
      if (slot) {
        this.dispatch(slot, pending);
        return;
      }
      this.queue.push(pending);
      if (signal) {
        const onAbort = () => {
          const at = this.queue.indexOf(pending);
          if (at < 0) return; // already running or done
          this.queue.splice(at, 1);
          this.settle(pending, abandoned(signal));
          this.notifyIdle();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        pending.unlisten = () => signal.removeEventListener('abort', onAbort);
      }
    });
  }

  /**
   * Stops now: queued tasks are rejected with `reason` (default: OVERLOADED, shutting down),
   * running ones are abandoned and the workers terminated. For a caller that has failed already.
   */
  async destroy(reason?: StanceError): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    const err = reason ?? new StanceError('OVERLOADED', 'stancecheck is shutting down; try again later');
    const dropped = [...this.queue, ...this.slots.flatMap((s) => (s.pending ? [s.pending] : []))];
    this.queue.length = 0;
    for (const s of this.slots) {
      s.pending = undefined;
      this.stopWatch(s);
    }
    await this.terminateAll();
    for (const p of dropped) this.settle(p, err);
    this.notifyIdle();
  }

  /** Stops taking tasks, lets queued and running tasks finish, then stops the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    if (this.queue.length > 0 || this.slots.some((s) => s.pending)) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    this.closed = true;
    await this.terminateAll();
  }

  private arm(pending: Pending): void {
    if (pending.timeoutMs !== undefined)
      pending.timer = setTimeout(() => this.expire(pending), pending.timeoutMs);
  }

  private startSlot(index: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const clock = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
      const base = Date.now();
      const worker = spawnWorker({ ...this.init, clock, base }, this.opts.maxHeapMb);
      let lastError: (Error & { code?: unknown }) | undefined;
      const slot: Slot = {
        index,
        worker,
        clock: new Int32Array(clock),
        base,
        watch: undefined,
        ready: false,
        pending: undefined,
        retired: false,
      };
      this.slots[index] = slot;
      let settled = false;
      worker.on('message', (msg: WorkerMessage) => {
        switch (msg.type) {
          case 'ready':
            slot.ready = true;
            this.modelCard ??= msg.card;
            settled = true;
            resolve();
            this.pump();
            break;
          case 'fatal':
            settled = true;
            slot.retired = true;
            void worker.terminate();
            reject(fromWire(msg.error));
            break;
          case 'result':
          case 'error':
            this.finish(slot, msg);
            break;
        }
      });
      worker.on('error', (err) => {
        lastError = err;
        this.logger.log('error', 'worker error', { worker: index, error: err.message });
        if (!settled) {
          settled = true;
          slot.retired = true;
          reject(
            new StanceError(
              'INTERNAL',
              `worker ${index} failed to start: ${err.message}`,
              {},
              { cause: err },
            ),
          );
        }
      });
      worker.on('exit', (code) => {
        if (!settled) {
          settled = true;
          reject(
            new StanceError(
              'INTERNAL',
              `worker ${index} stopped (exit code ${code}) before loading the model`,
            ),
          );
          return;
        }
        if (slot.retired || this.closed) return;
        // An unexpected exit: fail its task and start a replacement.
        slot.ready = false;
        this.stopWatch(slot);
        const pending = slot.pending;
        slot.pending = undefined;
        if (pending)
          this.settle(
            pending,
            lastError?.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new StanceError(
                  'INPUT_TOO_LARGE',
                  `the input needs more memory than a worker thread may use (${this.opts.maxHeapMb ?? 'default'} MB heap); expected smaller articles, found one that did not fit`,
                )
              : new StanceError('INTERNAL', 'the worker running this task stopped unexpectedly'),
          );
        this.logger.log('error', 'worker exited; restarting', { worker: index, exitCode: code });
        this.replace(index);
      });
    });
  }

  private replace(index: number): void {
    if (this.closing) {
      this.notifyIdle();
      return;
    }
    this.restarts++;
    this.startSlot(index).catch((e: unknown) => {
      if (this.closing) return;
      this.logger.log('error', 'worker restart failed', {
        worker: index,
        error: e instanceof Error ? e.message : String(e),
      });
      setTimeout(() => this.replace(index), 1000).unref();
    });
  }

  private dispatch(slot: Slot, pending: Pending): void {
    pending.unlisten?.();
    pending.unlisten = undefined;
    slot.pending = pending;
    pending.slot = slot;
    if (pending.timeoutFrom === 'start') this.arm(pending);
    const msg: TaskMessage = { id: pending.id, task: pending.task };
    if (pending.itemTimeoutMs !== undefined) {
      msg.itemLimitMs = pending.itemTimeoutMs;
      this.startWatch(slot, pending, pending.itemTimeoutMs);
    }
    slot.worker.postMessage(msg);
  }

  /** Polls the slot's clock; stops the task when its current item runs past `limit`. */
  private startWatch(slot: Slot, pending: Pending, limit: number): void {
    this.stopWatch(slot);
    const every = Math.min(100, Math.max(1, Math.floor(limit / 4)));
    slot.watch = setInterval(() => {
      const index = Atomics.load(slot.clock, 1);
      const started = Atomics.load(slot.clock, 0);
      if (started === 0 || Atomics.load(slot.clock, 1) !== index) return;
      if (Date.now() - slot.base - (started - 1) > limit && slot.pending === pending) {
        const context = pending.task.kind === 'classifyChunk' ? { row: index + 1 } : {};
        this.expire(
          pending,
          new StanceError('TIMEOUT', `the item took longer than the time limit of ${limit} ms`, context),
        );
      }
    }, every);
    slot.watch.unref();
  }

  private stopWatch(slot: Slot): void {
    if (slot.watch !== undefined) clearInterval(slot.watch);
    slot.watch = undefined;
  }

  private finish(slot: Slot, msg: Extract<WorkerMessage, { type: 'result' | 'error' }>): void {
    const pending = slot.pending;
    if (pending?.id !== msg.id) return;
    slot.pending = undefined;
    this.stopWatch(slot);
    if (msg.type === 'result') this.settle(pending, undefined, msg.result);
    else this.settle(pending, fromWire(msg.error));
    this.pump();
  }

  private settle(pending: Pending, error: StanceError | undefined, result?: TaskResults[TaskKind]): void {
    pending.unlisten?.();
    pending.unlisten = undefined;
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = undefined;
    if (error) pending.reject(error);
    else if (result !== undefined) pending.resolve(result);
  }

  private expire(pending: Pending, itemError?: StanceError): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = undefined;
    pending.unlisten?.();
    pending.unlisten = undefined;
    this.timeouts++;
    const what =
      pending.task.kind === 'classifyChunk'
        ? 'classifying this chunk'
        : pending.task.kind === 'auditChunk'
          ? 'auditing this chunk'
          : 'checking';
    const err =
      itemError ??
      new StanceError(
        'TIMEOUT',
        `${what} took longer than ${pending.timeoutMs} ms; try a shorter article or retry later`,
      );
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      pending.reject(err);
      this.notifyIdle();
      return;
    }
    const slot = pending.slot;
    if (slot && slot.pending === pending) {
      // The worker is stuck on this task: replace it so the task cannot hold a thread any longer.
      slot.pending = undefined;
      this.stopWatch(slot);
      slot.ready = false;
      slot.retired = true;
      this.logger.log('warn', 'task timed out; restarting its worker', {
        worker: slot.index,
        kind: pending.task.kind,
        timeoutMs: pending.timeoutMs,
      });
      void slot.worker.terminate();
      this.replace(slot.index);
    }
    pending.reject(err);
    this.notifyIdle();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (!slot.ready || slot.pending) continue;
      const pending = this.queue.shift();
      if (pending) this.dispatch(slot, pending);
    }
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0) return;
    if (this.queue.length > 0 || this.slots.some((s) => s.pending)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async terminateAll(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map((s) => {
        s.retired = true;
        this.stopWatch(s);
        return s.worker.terminate();
      }),
    );
  }
}

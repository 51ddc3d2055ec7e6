import { Worker } from 'node:worker_threads';
import { StanceError } from '../../core/errors.js';
import type { ModelCard } from '../../core/model/card.js';
import type { Logger } from './logger.js';
import type { CheckResultJson, Job, JobMessage, WireError, WorkerInit, WorkerMessage } from './protocol.js';

/** How the pool is sized and bounded. */
export interface PoolOptions {
  /** Worker threads, each with its own checker. */
  size: number;
  /** Jobs that may wait for a free worker; one more is refused with OVERLOADED. */
  queueSize: number;
  /** Milliseconds from submission (queue wait included) before a job fails with TIMEOUT. */
  timeoutMs: number;
  /** Model file; undefined means the default model. */
  modelPath: string | undefined;
  /** Module exporting `loadChecker(path?)`; defaults to the real model loader. */
  loaderUrl?: string;
  logger: Logger;
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

interface Task {
  id: number;
  job: Job;
  resolve: (r: CheckResultJson) => void;
  reject: (e: StanceError) => void;
  timer: NodeJS.Timeout | undefined;
  slot: Slot | undefined;
}

interface Slot {
  index: number;
  worker: Worker;
  ready: boolean;
  task: Task | undefined;
  /** Set when we terminate it on purpose, so its exit is not treated as a crash. */
  retired: boolean;
}

const IS_TS = import.meta.url.endsWith('.ts');

function fromWire(e: WireError): StanceError {
  const { code, message, ...context } = e;
  return new StanceError(code, message, context);
}

function spawnWorker(init: WorkerInit): Worker {
  if (!IS_TS) return new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
  // Under tsx (tests, bench): Node 20 workers ignore `--import tsx` for a .ts entry, so register it first.
  const entry = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: init });
}

/**
 * A bounded queue in front of a fixed set of worker threads. `run` resolves with the verdict (as JSON text) or
 * rejects with a StanceError: OVERLOADED when the queue is full, TIMEOUT when the job took too
 * long (a worker stuck on a job is terminated and replaced), or the error the checker threw.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closing = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private timeouts = 0;
  private restarts = 0;
  private modelCard: ModelCard | undefined;
  private readonly init: WorkerInit;

  private constructor(private readonly opts: PoolOptions) {
    this.init = {
      modelPath: opts.modelPath,
      loaderUrl: opts.loaderUrl ?? new URL(IS_TS ? '../fs/load-checker.ts' : '../fs/load-checker.js', import.meta.url).href,
    };
  }

  /** Starts `size` workers and resolves once every one has loaded its model (or rejects with the load error). */
  static async start(opts: PoolOptions): Promise<WorkerPool> {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new StanceError('USAGE', `workers must be a whole number ≥ 1; got ${opts.size}`);
    if (!Number.isInteger(opts.queueSize) || opts.queueSize < 0) throw new StanceError('USAGE', `queue size must be a whole number ≥ 0; got ${opts.queueSize}`);
    if (!(opts.timeoutMs > 0)) throw new StanceError('USAGE', `timeout must be > 0 ms; got ${opts.timeoutMs}`);
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

  stats(): PoolStats {
    return {
      workers: this.slots.length,
      ready: this.slots.filter((s) => s.ready).length,
      busy: this.slots.filter((s) => s.task).length,
      queued: this.queue.length,
      timeouts: this.timeouts,
      restarts: this.restarts,
    };
  }

  /**
   * Runs one job on a worker. When `signal` aborts (the client went away) while the job is still
   * queued, the job is dropped so that it does not delay the requests behind it.
   */
  run(job: Job, signal?: AbortSignal): Promise<CheckResultJson> {
    if (this.closing) return Promise.reject(new StanceError('OVERLOADED', 'stancecheck is shutting down; try again later'));
    return new Promise<CheckResultJson>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new StanceError('TIMEOUT', 'the client closed the connection before the check started'));
        return;
      }
      const task: Task = { id: this.nextId++, job, resolve, reject, timer: undefined, slot: undefined };
      const slot = this.slots.find((s) => s.ready && !s.task);
      if (!slot && this.queue.length >= this.opts.queueSize) {
        reject(new StanceError('OVERLOADED', `too many requests in progress (${this.queue.length} queued, limit ${this.opts.queueSize}); try again shortly`));
        return;
      }
      task.timer = setTimeout(() => this.expire(task), this.opts.timeoutMs);
      if (slot) {
        this.dispatch(slot, task);
        return;
      }
      this.queue.push(task);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.queue.indexOf(task);
          if (at < 0) return; // already running or done
          this.queue.splice(at, 1);
          this.settle(task, new StanceError('TIMEOUT', 'the client closed the connection before the check started'));
          this.notifyIdle();
        },
        { once: true },
      );
    });
  }

  /** Stops taking jobs, lets queued and running jobs finish, then stops the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    if (this.queue.length > 0 || this.slots.some((s) => s.task)) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    this.closed = true;
    await this.terminateAll();
  }

  private startSlot(index: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const worker = spawnWorker(this.init);
      const slot: Slot = { index, worker, ready: false, task: undefined, retired: false };
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
        this.opts.logger.log('error', 'worker error', { worker: index, error: err.message });
        if (!settled) {
          settled = true;
          slot.retired = true;
          reject(new StanceError('INTERNAL', `worker ${index} failed to start: ${err.message}`, {}, { cause: err }));
        }
      });
      worker.on('exit', (code) => {
        if (!settled) {
          settled = true;
          reject(new StanceError('INTERNAL', `worker ${index} stopped (exit code ${code}) before loading the model`));
          return;
        }
        if (slot.retired || this.closed) return;
        // An unexpected exit: fail its job and start a replacement.
        slot.ready = false;
        const task = slot.task;
        slot.task = undefined;
        if (task) this.settle(task, new StanceError('INTERNAL', 'the worker checking this article stopped unexpectedly'));
        this.opts.logger.log('error', 'worker exited; restarting', { worker: index, exitCode: code });
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
      this.opts.logger.log('error', 'worker restart failed', { worker: index, error: e instanceof Error ? e.message : String(e) });
      setTimeout(() => this.replace(index), 1000).unref();
    });
  }

  private dispatch(slot: Slot, task: Task): void {
    slot.task = task;
    task.slot = slot;
    slot.worker.postMessage({ id: task.id, job: task.job } satisfies JobMessage);
  }

  private finish(slot: Slot, msg: Extract<WorkerMessage, { type: 'result' | 'error' }>): void {
    const task = slot.task;
    if (task?.id !== msg.id) return;
    slot.task = undefined;
    if (msg.type === 'result') this.settle(task, undefined, msg.json);
    else this.settle(task, fromWire(msg.error));
    this.pump();
  }

  private settle(task: Task, error: StanceError | undefined, result?: CheckResultJson): void {
    if (task.timer) clearTimeout(task.timer);
    task.timer = undefined;
    if (error) task.reject(error);
    else if (result !== undefined) task.resolve(result);
  }

  private expire(task: Task): void {
    task.timer = undefined;
    this.timeouts++;
    const err = new StanceError('TIMEOUT', `checking took longer than ${this.opts.timeoutMs} ms; try a shorter article or retry later`);
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      task.reject(err);
      this.notifyIdle();
      return;
    }
    const slot = task.slot;
    if (slot && slot.task === task) {
      // The worker is stuck on this job: replace it so the job cannot hold a thread any longer.
      slot.task = undefined;
      slot.ready = false;
      slot.retired = true;
      this.opts.logger.log('warn', 'job timed out; restarting its worker', { worker: slot.index, timeoutMs: this.opts.timeoutMs });
      void slot.worker.terminate();
      this.replace(slot.index);
    }
    task.reject(err);
    this.notifyIdle();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) break;
      if (!slot.ready || slot.task) continue;
      const task = this.queue.shift();
      if (task) this.dispatch(slot, task);
    }
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length === 0) return;
    if (this.queue.length > 0 || this.slots.some((s) => s.task)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private async terminateAll(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map((s) => {
        s.retired = true;
        return s.worker.terminate();
      }),
    );
  }
}

/**
 * Runs `check` and `batch` work under a per-article time limit (`--timeout`).
 *
 * Classification and HTML extraction are synchronous: a timer on the thread doing them would never
 * fire while they run. So the work runs in one worker thread (which loads its own model) and the
 * main thread keeps its event loop free to watch the clock, write output and handle signals.
 * The worker publishes, in shared memory, the index of the article it is on and when it started
 * it; the main thread polls that and terminates the worker when an article runs past its limit
 * (the only way to stop a stuck synchronous computation). The worker also times each article
 * itself, so an article that overruns the limit is reported even when it finishes between two
 * polls: a tiny limit trips reliably.
 */
import { Worker } from 'node:worker_threads';
import type { Pair, PairResult } from '../../core/classify-pairs.js';
import { StanceError, type ErrorCode, type ErrorContext } from '../../core/errors.js';
import type { Article, Verdict } from '../../core/verdict.js';

/** Default per-article time limit: 60 s. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** An error as it crosses the thread boundary. */
export type WireError = { code: ErrorCode; message: string } & ErrorContext;

/** What the worker is started with. */
export interface RunnerInit {
  modelPath: string | undefined;
  timeoutMs: number;
  /** Int32Array view: [0] start of the current article in ms since `base` plus 1 (0 = idle), [1] its index. */
  clock: SharedArrayBuffer;
  /** Date.now() at start; clock times are relative to it. */
  base: number;
}

/** One article to check: parsed already, or an HTML page to extract first (under the limit). */
export type CheckJob = (
  { kind: 'article'; article: Article } | { kind: 'html'; html: string; file: string; subtitle?: string }
) & {
  /** Evidence sentences per verdict (the checker's default when absent). */
  evidence?: number;
};

/** Messages to the worker. */
export type RunnerRequest =
  { type: 'check'; job: CheckJob } | { type: 'batch'; bodies: string[]; pairs: BatchPair[] };

/** A batch pair: the headline and the index of its body in `bodies`. */
export interface BatchPair {
  headline: string;
  body: number;
}

/** Messages from the worker. */
export type RunnerReply =
  | { type: 'ready' }
  | { type: 'fatal'; error: WireError }
  | { type: 'verdict'; verdict: Verdict }
  | { type: 'results'; results: PairResult[] }
  | { type: 'done' }
  | { type: 'error'; error: WireError }
  | { type: 'timeout'; index: number };

/** Batch results are posted in chunks of this many pairs. */
export const RESULT_CHUNK = 256;

const IS_TS = import.meta.url.endsWith('.ts');

function spawnWorker(init: RunnerInit): Worker {
  if (!IS_TS) return new Worker(new URL('./article-worker.js', import.meta.url), { workerData: init });
  // Under tsx (tests run from source): Node 20 workers ignore `--import tsx`, so register it first.
  const entry = new URL('./article-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData: init });
}

function fromWire(e: WireError): StanceError {
  const { code, message, ...context } = e;
  return new StanceError(code, message, context);
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(6))} s`;
}

/** The TIMEOUT error for an article (`what` names it, e.g. "row 3 of stances.csv"). */
export function timeoutError(what: string, timeoutMs: number, context: ErrorContext = {}): StanceError {
  const limit = formatSeconds(timeoutMs);
  return new StanceError(
    'TIMEOUT',
    `${what} took longer than the time limit; expected at most ${limit} per article (--timeout), found it still running at ${limit} (raise --timeout for very long articles)`,
    context,
  );
}

/** Names an article in a TIMEOUT message. */
export type Describe = (index: number) => { what: string; context?: ErrorContext };

type Handler = (msg: RunnerReply, done: () => void, fail: (e: unknown) => void) => void;

/**
 * A worker thread with a loaded model that checks articles one at a time under a time limit.
 *
 * @example
 * const runner = await ArticleRunner.start({ modelPath, timeoutMs: 60_000 });
 * try { print(await runner.check({ kind: 'article', article }, 'the article')); } finally { await runner.close(); }
 */
export class ArticleRunner {
  private handler: ((msg: RunnerReply) => void) | undefined;
  private failer: ((e: StanceError) => void) | undefined;
  private watch: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly clock: Int32Array;

  private constructor(
    private readonly worker: Worker,
    private readonly init: RunnerInit,
  ) {
    this.clock = new Int32Array(init.clock);
    worker.on('message', (msg: RunnerReply) => this.handler?.(msg));
    worker.on('error', (err) => {
      this.failer?.(new StanceError('INTERNAL', `internal error: ${err.message}`, {}, { cause: err }));
    });
    worker.on('exit', (code) => {
      this.stopped = true;
      this.failer?.(
        new StanceError('INTERNAL', `the checking thread stopped unexpectedly (exit code ${code})`),
      );
    });
  }

  /**
   * Starts the worker and waits until it has loaded the model.
   *
   * @throws StanceError USAGE for a limit that is not a positive number; the model's load error
   * (MODEL_NOT_FOUND, MODEL_INVALID, ...).
   */
  static async start(options: { modelPath: string | undefined; timeoutMs: number }): Promise<ArticleRunner> {
    if (!(options.timeoutMs > 0) || !Number.isFinite(options.timeoutMs)) {
      throw new StanceError(
        'USAGE',
        `--timeout expects a positive number of seconds; found ${options.timeoutMs / 1000}`,
      );
    }
    const init: RunnerInit = {
      modelPath: options.modelPath,
      timeoutMs: options.timeoutMs,
      clock: new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT),
      base: Date.now(),
    };
    const runner = new ArticleRunner(spawnWorker(init), init);
    try {
      await runner.request(undefined, (msg, done) => {
        if (msg.type === 'ready') done();
        else if (msg.type === 'fatal') throw fromWire(msg.error);
      });
    } catch (e) {
      await runner.close();
      throw e;
    }
    return runner;
  }

  /**
   * Checks one article (extracting it first when it is HTML).
   *
   * @param what names the article in a TIMEOUT message.
   * @throws StanceError TIMEOUT when it takes longer than the limit; the checker's errors.
   */
  async check(job: CheckJob, what: string): Promise<Verdict> {
    let verdict: Verdict | undefined;
    await this.request(
      { type: 'check', job },
      (msg, done) => {
        if (msg.type === 'verdict') {
          verdict = msg.verdict;
          done();
        }
      },
      () => ({ what }),
    );
    if (verdict === undefined)
      throw new StanceError('INTERNAL', 'internal error: no verdict from the checking thread');
    return verdict;
  }

  /**
   * Classifies pairs in order, preparing each distinct body once, and hands the results to
   * `onResults` in chunks (awaited one after the other, in order).
   *
   * @param describe names pair `i` in a TIMEOUT message.
   * @throws StanceError TIMEOUT when one pair takes longer than the limit; errors of `onResults`.
   */
  async batch(
    bodies: string[],
    pairs: BatchPair[],
    onResults: (results: PairResult[]) => Promise<void>,
    describe: Describe,
  ): Promise<void> {
    let chain: Promise<void> = Promise.resolve();
    await this.request(
      { type: 'batch', bodies, pairs },
      (msg, done, fail) => {
        if (msg.type === 'results') {
          chain = chain.then(() => onResults(msg.results));
          chain.catch(fail);
        } else if (msg.type === 'done') chain.then(done, fail);
      },
      describe,
    );
  }

  /** Stops the worker (also mid-article). */
  async close(): Promise<void> {
    this.stopWatch();
    if (this.stopped) return;
    this.stopped = true;
    await this.worker.terminate();
  }

  /**
   * Sends `req` (none: just wait for the worker) and feeds the replies to `handle` until it calls
   * `done`. Worker errors, a throw from `handle`, an article over the limit (reported by the
   * worker or found stuck by the watch) reject; after a rejection the worker is stopped.
   */
  private request(req: RunnerRequest | undefined, handle: Handler, describe?: Describe): Promise<void> {
    if (this.stopped)
      return Promise.reject(new StanceError('INTERNAL', 'internal error: the checking thread has stopped'));
    const timedOut = (index: number) => {
      const d = describe?.(index) ?? { what: `article ${index + 1}` };
      return timeoutError(d.what, this.init.timeoutMs, d.context);
    };
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (e?: unknown) => {
        if (settled) return;
        settled = true;
        this.handler = undefined;
        this.failer = undefined;
        this.stopWatch();
        if (e === undefined) {
          resolve();
          return;
        }
        // e is what the worker failed with (an Error or a StanceError), passed on as it is.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        void this.close().finally(() => reject(e));
      };
      this.handler = (msg) => {
        try {
          if (msg.type === 'error' || msg.type === 'fatal') throw fromWire(msg.error);
          if (msg.type === 'timeout') throw timedOut(msg.index);
          handle(
            msg,
            () => finish(),
            (e) => finish(e),
          );
        } catch (e) {
          finish(e);
        }
      };
      this.failer = (e) => finish(e);
      if (req === undefined) return;
      this.startWatch((index) => finish(timedOut(index)));
      this.worker.postMessage(req);
    });
  }

  /** Polls the shared clock; calls `onStuck` once when the current article passes the limit. */
  private startWatch(onStuck: (index: number) => void): void {
    this.stopWatch();
    const limit = this.init.timeoutMs;
    const every = Math.min(100, Math.max(1, Math.floor(limit / 4)));
    this.watch = setInterval(() => {
      const index = Atomics.load(this.clock, 1);
      const started = Atomics.load(this.clock, 0);
      if (started === 0 || Atomics.load(this.clock, 1) !== index) return;
      if (Date.now() - this.init.base - (started - 1) > limit) {
        this.stopWatch();
        onStuck(index);
      }
    }, every);
  }

  private stopWatch(): void {
    if (this.watch !== undefined) clearInterval(this.watch);
    this.watch = undefined;
  }
}

/** Builds batch input from pairs: each distinct body text once, pairs pointing at it. */
export function toBatchInput(pairs: readonly Pair[]): { bodies: string[]; pairs: BatchPair[] } {
  const index = new Map<string, number>();
  const bodies: string[] = [];
  const out: BatchPair[] = [];
  for (const p of pairs) {
    let i = index.get(p.body);
    if (i === undefined) {
      i = bodies.length;
      bodies.push(p.body);
      index.set(p.body, i);
    }
    out.push({ headline: p.headline, body: i });
  }
  return { bodies, pairs: out };
}

/**
 * The corpus as the HTTP server uses it: two threads, each with its own store connection and model
 * (corpus-thread.ts), so classification never blocks the event loop. The reader answers claims,
 * findings, stats and export pages; the writer ingests, removes, audits and reindexes. A long
 * audit or ingest therefore never holds up a claim (SQLite in WAL mode and PostgreSQL both let
 * readers run beside a writer). Each thread runs its operations one at a time, in order; a
 * bounded number may wait (OVERLOADED beyond it). A read that runs past its time limit gets
 * TIMEOUT and its thread is replaced; writes are never cut short (each batch is one transaction).
 * An audit scores on the server's worker pool when it has two or more workers: the writer sends
 * each chunk of articles here, and at most one chunk per worker waits in or runs on the pool, so a
 * `/v1/check` request waits for at most one chunk; a chunk the pool refuses is scored on the writer.
 */
import type { Worker } from 'node:worker_threads';
import { StanceError, toStanceError } from '../../core/errors.js';
import { fromWire, spawnThread } from '../workers/spawn.js';
import type { AuditChunkTask, WireError } from '../workers/protocol.js';
import type { AuditRecord } from '../../core/corpus/store.js';
import type { ClaimAnswer } from '../../core/corpus/rank.js';
import type { AddStatus } from '../../core/corpus/store.js';
import type { ArticleInput, AuditReport, IngestSummary, Rejected, StatsReport } from '../corpus/corpus.js';

/** What a corpus thread is started with. */
export interface CorpusInit {
  /** SQLite path or postgres:// URL. */
  db: string;
  /** Model file; default the bundled model. */
  model?: string;
}

/** One operation sent to a corpus thread. */
export type CorpusCall =
  | { op: 'claim'; text: string; top?: number }
  | { op: 'findings' }
  | { op: 'stats' }
  | { op: 'exportPage'; after: number; limit: number }
  /** `chunks`: score on the server's pool, each page cut into this many chunks (else on the thread). */
  | { op: 'audit'; chunks?: number; redo?: boolean }
  | { op: 'remove'; ids: string[] }
  | { op: 'ingest'; items: (ArticleInput | Rejected)[] }
  | { op: 'reindex' };

/** What a corpus thread posts back. */
export type CorpusReply =
  | { ready: true; location: string; backend: 'sqlite' | 'postgres' }
  | { ready: false; error: WireError }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WireError }
  /** The writer asks the server's pool to score one audit chunk. */
  | { poolRun: number; task: AuditChunkTask }
  /** The writer's audit so far: articles scored, older audits refreshed. */
  | { auditProgress: { scored: number; refreshed: number } };

/** The server's latest audit: running (waiting or working) or the last one finished. */
export interface AuditProgress {
  running: boolean;
  /** Articles scored so far (or by the last run). */
  scored: number;
  /** Older audits refreshed so far (or by the last run). */
  refreshed: number;
  /** When it was asked for (ISO 8601); null before the first audit. */
  startedAt: string | null;
  /** When it ended (ISO 8601); null while running or before the first audit. */
  finishedAt: string | null;
  /** Its error code when it failed. */
  failed?: string;
}

/** The server's answer to a `poolRun`. */
export type PoolReply =
  | { poolResult: number; ok: true; value: AuditRecord[] }
  | { poolResult: number; ok: false; error: WireError };

/** The server's worker pool as an audit uses it: its size and a way to score one chunk there. */
export interface AuditPoolRef {
  readonly size: number;
  run(task: AuditChunkTask): Promise<AuditRecord[]>;
}

export type StatsResult = StatsReport;
export interface ExportPage {
  lines: string[];
  /** Key of the last article of the page (the next page starts after it); null when empty. */
  last: number | null;
}
export interface RemoveResult {
  removed: { id: string; removed: boolean; articleRemoved: boolean }[];
}
export interface IngestResult {
  summary: IngestSummary;
  /** One entry per stored, aliased, duplicate or refused article, in order. */
  results: { id: string; status: AddStatus }[];
}

/** The corpus operations the routes call. */
export interface CorpusService {
  readonly backend: 'sqlite' | 'postgres';
  /** The file path, or the server URL without its password. */
  readonly location: string;
  claim(text: string, top: number | undefined): Promise<ClaimAnswer>;
  findings(): Promise<AuditReport>;
  stats(): Promise<StatsResult>;
  exportPage(after: number, limit: number): Promise<ExportPage>;
  /** `redo`: score every article again (`corpus audit --redo`). */
  audit(redo?: boolean): Promise<AuditReport>;
  /** How far the running audit is, or the figures of the last one (no thread call). */
  auditProgress(): AuditProgress;
  remove(ids: string[]): Promise<RemoveResult>;
  ingest(items: (ArticleInput | Rejected)[]): Promise<IngestResult>;
  reindex(): Promise<{ reindexed: number; analysisVersion: string }>;
  close(): Promise<void>;
}

export interface CorpusServiceOptions extends CorpusInit {
  /** Operations that may wait per thread before new ones get OVERLOADED. Default 64. */
  queueSize?: number;
  /** Time limit of a read (claim, findings, stats, an export page), from submission, ms. Default 10000. */
  readTimeoutMs?: number;
  /**
   * The server's worker pool (asked when an audit starts; it starts beside the corpus threads).
   * With two or more workers an audit's chunks are scored there; without, on the writer thread.
   */
  auditPool?: () => AuditPoolRef | undefined;
}

/** Audit chunks per pool worker: smaller chunks keep a `/v1/check` behind one of them short. */
const CHUNKS_PER_WORKER = 4;

/**
 * Runs audit chunks on the pool with at most `pool.size` of them submitted at once (the others
 * wait here, not in the pool's queue, so requests never queue behind a whole page).
 */
function limitedRunner(
  pool: () => AuditPoolRef | undefined,
): (task: AuditChunkTask) => Promise<AuditRecord[]> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    const p = pool();
    if (!p) throw new StanceError('INTERNAL', 'the worker pool is not running');
    if (active >= p.size) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await p.run(task);
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function spawn(init: CorpusInit): Worker {
  return spawnThread(new URL('./corpus-thread.js', import.meta.url), { workerData: init });
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: StanceError): void;
  timer: NodeJS.Timeout | undefined;
}

/** One corpus thread: a serial queue of operations, replaced when it dies or a read overruns. */
class CorpusThread {
  private worker: Worker | undefined;
  private ready: Promise<{ location: string; backend: 'sqlite' | 'postgres' }> | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly init: CorpusInit,
    private readonly queueSize: number,
    /** Scores an audit chunk the thread sends (the writer's, when the pool is used). */
    private readonly runChunk?: (task: AuditChunkTask) => Promise<AuditRecord[]>,
    /** The writer's audit progress messages. */
    private readonly onAuditProgress?: (p: { scored: number; refreshed: number }) => void,
  ) {}

  /** Starts the thread (again); resolves once its store and model are open. */
  start(): Promise<{ location: string; backend: 'sqlite' | 'postgres' }> {
    const w = spawn(this.init);
    this.worker = w;
    this.ready = new Promise((resolve, reject) => {
      w.on('message', (m: CorpusReply) => {
        if ('ready' in m) {
          if (m.ready) resolve({ location: m.location, backend: m.backend });
          else reject(fromWire(m.error));
          return;
        }
        if ('poolRun' in m) {
          this.poolRun(w, m.poolRun, m.task);
          return;
        }
        if ('auditProgress' in m) {
          this.onAuditProgress?.(m.auditProgress);
          return;
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        clearTimeout(p.timer);
        if (m.ok) p.resolve(m.value);
        else p.reject(fromWire(m.error));
      });
      w.on('error', (e) => {
        reject(new StanceError('INTERNAL', `the corpus ${this.name} thread failed: ${e.message}`));
      });
      w.on('exit', (code) => {
        if (this.worker !== w) return;
        this.worker = undefined;
        const why = new StanceError(
          'INTERNAL',
          `the corpus ${this.name} thread stopped (exit code ${code}) before answering`,
        );
        reject(why);
        this.failAll(why);
      });
    });
    return this.ready;
  }

  private poolRun(w: Worker, id: number, task: AuditChunkTask): void {
    const run = this.runChunk
      ? this.runChunk(task)
      : Promise.reject(new StanceError('INTERNAL', 'this corpus thread has no worker pool'));
    run.then(
      (value) => w.postMessage({ poolResult: id, ok: true, value } satisfies PoolReply),
      (e: unknown) => {
        w.postMessage({ poolResult: id, ok: false, error: toStanceError(e).toJSON() } satisfies PoolReply);
      },
    );
  }

  private failAll(e: StanceError): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(e);
    }
  }

  /** Terminates the thread (a read ran too long) and starts a fresh one for what comes next. */
  private restart(why: StanceError): void {
    const old = this.worker;
    this.worker = undefined;
    this.failAll(why);
    void old?.terminate();
    if (!this.closed) this.start().catch(() => undefined);
  }

  async call<T>(c: CorpusCall, opts: { timeoutMs?: number } = {}): Promise<T> {
    if (this.closed) throw new StanceError('OVERLOADED', 'the server is shutting down; try again later');
    if (this.pending.size >= this.queueSize)
      throw new StanceError(
        'OVERLOADED',
        `too many corpus requests are waiting (${this.pending.size}); try again later`,
      );
    if (!this.worker) this.start().catch(() => undefined);
    await this.ready;
    const w = this.worker;
    if (!w) throw new StanceError('INTERNAL', `the corpus ${this.name} thread is not running`);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject, timer: undefined };
      if (opts.timeoutMs !== undefined) {
        const ms = opts.timeoutMs;
        p.timer = setTimeout(() => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          reject(new StanceError('TIMEOUT', `the corpus ${c.op} took longer than ${ms} ms`));
          this.restart(
            new StanceError(
              'TIMEOUT',
              `the corpus ${this.name} thread was restarted after a ${c.op} overran`,
            ),
          );
        }, ms);
      }
      this.pending.set(id, p);
      w.postMessage({ id, call: c });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    if (!w) return;
    // Listen first: a thread that failed to open ends on its own, maybe while we wait for `ready`.
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    await this.ready?.catch(() => undefined);
    if (this.worker !== w) return; // it has ended already
    // Let queued operations finish, then the thread closes its store and ends.
    w.postMessage({ close: true });
    const timer = setTimeout(() => void w.terminate(), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Opens the corpus for the server: the writer thread first (it creates or migrates the schema),
 * then the reader. Rejects with the store's own error (DB_OPEN, DB_VERSION, DB_CORRUPT, MODEL_*)
 * when it cannot open, so `serve --db` fails at start, not on the first request.
 */
export async function startCorpusService(opts: CorpusServiceOptions): Promise<CorpusService> {
  const init: CorpusInit = opts.model === undefined ? { db: opts.db } : { db: opts.db, model: opts.model };
  const queueSize = opts.queueSize ?? 64;
  const readTimeoutMs = opts.readTimeoutMs ?? 10_000;
  const auditPool = opts.auditPool ?? (() => undefined);
  /** The latest audit asked for (its progress), and how many have been. */
  let audits = 0;
  let progress: AuditProgress = {
    running: false,
    scored: 0,
    refreshed: 0,
    startedAt: null,
    finishedAt: null,
  };
  const writer = new CorpusThread('writer', init, queueSize, limitedRunner(auditPool), (p) => {
    if (!progress.running) return;
    progress.scored = p.scored;
    progress.refreshed = p.refreshed;
  });
  const reader = new CorpusThread('reader', init, queueSize);
  let where: { location: string; backend: 'sqlite' | 'postgres' };
  try {
    where = await writer.start();
    await reader.start();
  } catch (e) {
    await Promise.all([writer.close(), reader.close()]);
    throw e;
  }
  const read = <T>(c: CorpusCall): Promise<T> => reader.call<T>(c, { timeoutMs: readTimeoutMs });
  return {
    backend: where.backend,
    location: where.location,
    claim: (text, top) =>
      read<ClaimAnswer>(top === undefined ? { op: 'claim', text } : { op: 'claim', text, top }),
    findings: () => read<AuditReport>({ op: 'findings' }),
    stats: () => read<StatsResult>({ op: 'stats' }),
    exportPage: (after, limit) => read<ExportPage>({ op: 'exportPage', after, limit }),
    audit: async (redo) => {
      const size = auditPool()?.size ?? 0;
      const call = writer.call<AuditReport>({
        op: 'audit',
        ...(size >= 2 ? { chunks: size * CHUNKS_PER_WORKER } : {}),
        ...(redo === true ? { redo } : {}),
      });
      // Audits run one at a time on the writer: a second request waits behind the first, and the
      // progress follows the one that started last.
      const run = ++audits;
      progress = {
        running: true,
        scored: 0,
        refreshed: 0,
        startedAt: new Date().toISOString(),
        finishedAt: null,
      };
      const ended = (figures: Partial<AuditProgress>): void => {
        if (audits === run)
          progress = { ...progress, ...figures, running: false, finishedAt: new Date().toISOString() };
      };
      try {
        const r = await call;
        ended({ scored: r.scored, refreshed: r.refreshed });
        return r;
      } catch (e) {
        ended({ failed: toStanceError(e).code });
        throw e;
      }
    },
    auditProgress: () => ({ ...progress }),
    remove: (ids) => writer.call<RemoveResult>({ op: 'remove', ids }),
    ingest: (items) => writer.call<IngestResult>({ op: 'ingest', items }),
    reindex: () => writer.call<{ reindexed: number; analysisVersion: string }>({ op: 'reindex' }),
    close: async () => {
      await Promise.all([reader.close(), writer.close()]);
    },
  };
}

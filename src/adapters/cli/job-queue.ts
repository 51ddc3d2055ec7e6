/**
 * The job queue as the `queue` and `worker` commands need it. The commands depend on this
 * interface only; `adapters/queue/redis-queue.ts` implements it with BullMQ on Redis.
 *
 * A job is a list of pairs cut into chunks. Bodies are stored once per job; a chunk names its
 * bodies by key. Results are stored per chunk, once: a chunk scored twice (a worker that was
 * thought dead finished after all) does not count twice.
 */
import type { PairResult } from '../../core/classify-pairs.js';
import type { ErrorCode } from '../../core/errors.js';

/** One pair of a job, as submitted. */
export interface QueuedPair {
  headline: string;
  /** Body ID shown in the output ('' when the input gave the body text only). */
  bodyId: string;
  /** Key of the body in the job's body store. */
  bodyKey: string;
}

/** What `submit` enqueues. */
export interface JobSpec {
  pairs: readonly QueuedPair[];
  /** Body text by key; every `bodyKey` of `pairs` must be here. */
  bodies: ReadonlyMap<string, string>;
  /** Pairs per chunk. */
  chunkSize: number;
}

/** A chunk that failed for good. */
export interface FailedChunk {
  chunk: number;
  /** 1-based index of the chunk's first pair in the job. */
  firstPair: number;
  pairs: number;
  code: ErrorCode;
  message: string;
  attempts: number;
}

/** Progress of a job. */
export interface JobStatus {
  id: string;
  pairs: number;
  chunks: number;
  chunkSize: number;
  /** Pairs in chunks whose results are stored. */
  scoredPairs: number;
  doneChunks: number;
  failed: FailedChunk[];
  /** `done`: every pair scored; `failed`: every chunk settled and some failed; else `running`. */
  state: 'running' | 'done' | 'failed';
  createdAt: string;
}

/** One chunk as a worker gets it. */
export interface ChunkWork {
  job: string;
  chunk: number;
  pairs: readonly { headline: string; bodyKey: string }[];
  /** Fetches body texts by key (the worker asks only for those it has not prepared yet). */
  fetchBodies(keys: readonly string[]): Promise<Map<string, string>>;
}

/** Scores one chunk: one result per pair, in order. Throw a StanceError for bad rows. */
export type ChunkScorer = (work: ChunkWork) => Promise<PairResult[]>;

/** What a worker reports as it goes. */
export type WorkerEvent =
  | { type: 'started' | 'completed'; job: string; chunk: number; pairs: number }
  | { type: 'failed'; job: string; chunk: number; final: boolean; message: string }
  | { type: 'error'; message: string };

/** Options of {@link JobQueue.work}. */
export interface WorkOptions {
  /** Chunks in flight in this process. */
  concurrency: number;
  /** A chunk whose worker stops renewing its lock for this long is taken over (ms). */
  lockDurationMs?: number;
  /** How often to look for chunks whose worker died (ms). */
  stalledIntervalMs?: number;
  onEvent?: (e: WorkerEvent) => void;
}

/** A running worker. */
export interface RunningWorker {
  /** Stops taking chunks, lets the ones in flight finish, then disconnects. */
  close(): Promise<void>;
}

/** The queue the commands use. */
export interface JobQueue {
  /** Stores the job and enqueues its chunks; returns the job id. */
  submit(spec: JobSpec): Promise<string>;
  /** @throws StanceError JOB_NOT_FOUND */
  status(id: string): Promise<JobStatus>;
  /**
   * The job's scored pairs in input order with their results; a chunk not scored (yet) yields
   * `{ unscored: its pair count }` in its place.
   *
   * @throws StanceError JOB_NOT_FOUND
   */
  results(id: string): AsyncIterable<{ pair: QueuedPair; result: PairResult } | { unscored: number }>;
  /** Starts processing chunks with `scorer`. */
  work(scorer: ChunkScorer, options: WorkOptions): Promise<RunningWorker>;
  /** Disconnects. */
  close(): Promise<void>;
}

/**
 * How `batch` scores its chunks on N checking threads: the main thread itself and N − 1 worker
 * threads of a {@link WorkerPool}, all taking chunks from one list until it is empty.
 *
 * - The main thread scores one small chunk at a time with its own checker and returns to its
 *   event loop between two, where it hands results to the writer, answers the workers and sees
 *   signals. A worker gets several chunks a task: its next task can only be sent from that event
 *   loop, so the tasks are long next to the main thread's chunks, and shrink as the list empties
 *   (each takes its share of what is left, so all lanes finish about together).
 * - N − 1 workers, not N: with a worker per core the main thread would only wait, and every worker
 *   costs a model load and its own compilation and garbage collection (docs/BENCHMARKS.md). With
 *   N = 1 no worker thread starts at all.
 * - The main thread does not wait for the workers: it scores from the moment its own checker is
 *   ready, and each worker lane joins once the pool has started (a worker thread loads its modules
 *   and its model while the main thread reads the inputs, and was still at it for about a quarter
 *   of a second after the main thread's checker was ready: docs/BENCHMARKS.md).
 * - The first error stops every lane from taking more chunks or writing more results; it is
 *   reported with the input positions of the pairs its task held.
 */
import type { PairResult } from '../../core/classify-pairs.js';
import type { ClassifyChunkTask } from '../workers/protocol.js';
import type { WorkerPool } from '../workers/pool.js';
import type { ItemClock } from '../workers/tasks.js';
import type { BatchChunk } from './split-batch.js';

/** Runs one chunk task on the main thread (createTaskRunner's runner). */
export type LocalRunner = (task: ClassifyChunkTask, clock?: ItemClock) => PairResult[];

/** Where the chunks are scored. */
export interface Lanes {
  /** The main thread's runner. */
  local: LocalRunner;
  /** Its time limit per pair (see timedClock). */
  clock: ItemClock;
  /** Worker threads, if any (one lane each): a pool, or one still starting. */
  pool: WorkerPool | StartingPool | undefined;
  /** Time limit per pair on the workers, ms. */
  itemTimeoutMs: number;
}

/** A pool of `size` workers still starting: their lanes join when `starting` resolves. */
export interface StartingPool {
  size: number;
  starting: Promise<WorkerPool>;
}

/**
 * A worker task takes 1 / (LANE_SHARE × lanes) of the chunks left (at least one): long tasks while
 * many remain, short ones at the end. Shares of 1.5, 2 and 3 per lane timed alike on the 25,413-pair
 * bench file (2026-11-27, within the runs' spread); 3 keeps the last tasks shortest.
 */
const LANE_SHARE = 3;

/** Merges consecutive chunks into one task: pairs in order, bodies keyed as they were. */
function merge(chunks: readonly BatchChunk[]): BatchChunk {
  if (chunks.length === 1) return chunks[0] as BatchChunk;
  const out: BatchChunk = { pairs: [], bodies: {}, positions: [] };
  for (const c of chunks) {
    out.pairs.push(...c.pairs);
    out.positions.push(...c.positions);
    Object.assign(out.bodies, c.bodies);
  }
  return out;
}

const task = (c: BatchChunk): ClassifyChunkTask => ({
  kind: 'classifyChunk',
  pairs: c.pairs,
  bodies: c.bodies,
  keepBodies: false,
});

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Scores every chunk once, on the main thread and on the pool's workers together. `done` gets each
 * task's input positions and results (in the task's order) and is awaited before that lane goes
 * on; `failed` turns a task's error and its positions into the error to throw.
 */
export async function scoreOnLanes(
  chunks: readonly BatchChunk[],
  lanes: Lanes,
  done: (positions: readonly number[], results: readonly PairResult[]) => Promise<void>,
  failed: (e: unknown, positions: readonly number[]) => unknown,
): Promise<void> {
  let next = 0;
  let stopped = false;
  const workers = lanes.pool?.size ?? 0;
  const count = 1 + workers;
  const { pool } = lanes;
  const ready = pool === undefined ? undefined : 'starting' in pool ? pool.starting : Promise.resolve(pool);
  const guard = async (piece: BatchChunk, work: () => Promise<PairResult[]> | PairResult[]) => {
    let results: PairResult[];
    try {
      results = await work();
    } catch (e) {
      stopped = true;
      throw failed(e, piece.positions);
    }
    // After another lane's error the run is over: nothing more is written.
    if (!stopped) await done(piece.positions, results);
  };
  const mainLane = async () => {
    while (!stopped && next < chunks.length) {
      const piece = chunks[next++] as BatchChunk;
      await guard(piece, () => lanes.local(task(piece), lanes.clock));
      await turn();
    }
  };
  const workerLane = async (started: Promise<WorkerPool>) => {
    let pool: WorkerPool;
    try {
      pool = await started;
    } catch (e) {
      // The pool could not start: the run stops as at any lane's error.
      stopped = true;
      throw e;
    }
    while (!stopped && next < chunks.length) {
      const take = Math.max(1, Math.ceil((chunks.length - next) / (LANE_SHARE * count)));
      const piece = merge(chunks.slice(next, next + take));
      next += take;
      await guard(piece, () => pool.run(task(piece), { itemTimeoutMs: lanes.itemTimeoutMs }));
    }
  };
  // The first error rejects at once (the caller then stops the workers); the other lanes stop
  // taking chunks and write nothing more.
  await Promise.all([
    mainLane(),
    ...Array.from({ length: workers }, () => workerLane(ready as Promise<WorkerPool>)),
  ]);
}

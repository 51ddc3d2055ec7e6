/**
 * `stancecheck batch`: classifies every pair of a stances file (or pairs JSONL) and writes an
 * FNC-1 submission CSV (`Headline,Body ID,Stance`) or JSONL with probabilities, atomically.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import type { PairResult } from '../../../core/classify-pairs.js';
import { StanceError } from '../../../core/errors.js';
import { outputFormat, outputHeader, outputLine, readPairRows, type PairRow } from '../../fs/pair-rows.js';
import { writeAtomic } from '../../fs/write-atomic.js';
import { WorkerPool } from '../../workers/pool.js';
import { createProgress, printErr } from '../output.js';
import { resultText, safeJson } from '../sanitize.js';
import { DEFAULT_TIMEOUT_SECONDS, parseSeconds, timeLimitMs, timeoutError } from './check.js';
import { chunkByBody, toBatchInput } from '../split-batch.js';
import { scoreOnLanes, type LocalRunner } from '../batch-lanes.js';
import { createTaskRunner, timedClock } from '../../workers/tasks.js';
import { loadChecker } from '../../fs/load-checker.js';
import { BULK_HEAP_MB, parseWorkers } from '../pool-options.js';

/** Pairs per chunk (at least one whole body): about 10 ms of the main thread's work between two turns of its event loop. */
export const LANE_CHUNK = 32;

/**
 * With more than one checking thread, V8 compiles the same hot code once per thread on its helper
 * threads, which then compete with the checkers for the cores; without inlining that compilation
 * costs far less and the checking code runs about as fast (docs/BENCHMARKS.md). Set before the
 * checker's code is first optimised; V8 flags hold for the whole process, workers included. Only a
 * compiler flag may change this late: `--single-threaded-gc` set here made V8 abort in its marker.
 */
function compileForLanes(): void {
  setFlagsFromString('--no-turbo-inlining');
}

/** Options of `batch`. */
export interface BatchOptions {
  bodies?: string;
  stances?: string;
  input?: string;
  out: string;
  format?: string;
  progress?: boolean;
  json?: boolean;
  /** Per-pair time limit in seconds. */
  timeout?: number;
  model?: string;
  /** Checking threads (the main thread and workers − 1 worker threads), each with its own model; default: the number of cores. */
  workers?: number;
}

/** Names a pair in a TIMEOUT message: "row 3 of stances.csv", "line 7 of pairs.jsonl". */
function describeRow(o: BatchOptions, row: PairRow | undefined, index: number) {
  if (!row) return { what: `pair ${index + 1}` };
  const unit = row.file === o.stances ? 'row' : 'line';
  return { what: `${unit} ${row.row} of ${basename(row.file)}`, context: { file: row.file, row: row.row } };
}

/**
 * Runs `batch` on `--workers` checking threads: the main thread and one worker thread fewer (see
 * batch-lanes.ts; `--workers 1` starts none). The workers load the model while the inputs are read
 * and join the main thread when they are ready; chunks of pairs (each body's pairs together) go to
 * the lanes, and results are written in input order as soon as every earlier pair has one.
 */
export async function runBatch(o: BatchOptions): Promise<void> {
  const format = outputFormat(o.format);
  const workers = o.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) {
    throw new StanceError('USAGE', `--workers expects a whole number ≥ 1; found ${workers}`);
  }
  const limitMs = timeLimitMs(o.timeout);
  if (workers > 1) compileForLanes();
  const starting =
    workers > 1
      ? WorkerPool.start({ size: workers - 1, modelPath: o.model, maxHeapMb: BULK_HEAP_MB })
      : undefined;
  // A model error is reported after any input error: keep it from counting as unhandled meanwhile.
  starting?.catch(() => undefined);
  const stopWorkers = (): Promise<void> =>
    starting?.then(
      (pool) => pool.destroy(),
      () => undefined,
    ) ?? Promise.resolve();
  // The main thread's own checker loads while the inputs are read (its error, too, after theirs).
  const checking = loadChecker(o.model);
  checking.catch(() => undefined);
  let rows: PairRow[];
  let local: LocalRunner;
  try {
    rows = await readPairRows(o);
    local = createTaskRunner(await checking);
  } catch (e) {
    void stopWorkers();
    throw e;
  }
  // Each distinct body text is prepared once (not each Body ID: JSONL lines may share an id but
  // carry different bodies).
  const { bodies, pairs } = toBatchInput(rows.map((r) => r.pair));
  const chunks = chunkByBody(bodies, pairs, LANE_CHUNK);
  // The main thread starts at once; the workers join when they have started (batch-lanes.ts).
  const pool = starting && { size: workers - 1, starting };
  const inputs = [o.bodies, o.stances, o.input, o.model].filter((p): p is string => p !== undefined);
  // Printed output carries no control characters from the input; a file gets the same bytes as
  // `queue collect` would write.
  const printed = resultText(o.out, format);
  const progress = createProgress(o.progress !== false);
  const started = performance.now();
  progress.start(rows.length, 'pairs');
  try {
    await writeAtomic(
      o.out,
      async (sink) => {
        const header = outputHeader(format);
        if (header !== '') await sink.write(header);
        const results = new Array<PairResult | undefined>(rows.length);
        let done = 0;
        let written = 0;
        // Writes are chained so they stay in order; each writes the results that now follow on.
        let writing: Promise<void> = Promise.resolve();
        const flush = async () => {
          let text = '';
          while (written < rows.length && results[written] !== undefined) {
            text += outputLine(format, rows[written] as PairRow, results[written] as PairResult);
            results[written] = undefined; // written: let it go
            written++;
          }
          if (text !== '') await sink.write(printed(text));
        };
        await scoreOnLanes(
          chunks,
          { local, clock: timedClock(limitMs), pool, itemTimeoutMs: limitMs },
          async (positions, out) => {
            out.forEach((r, k) => (results[positions[k] as number] = r));
            done += out.length;
            progress.update(done);
            writing = writing.then(flush);
            await writing;
          },
          (e, positions) => inChunk(e, o, rows, positions, limitMs),
        );
        await writing;
      },
      { inputs },
    );
  } catch (e) {
    await stopWorkers();
    throw e;
  } finally {
    progress.stop();
  }
  await (await starting)?.close();
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0 ? rows.length / seconds : rows.length;
  if (o.json) {
    process.stderr.write(`${safeJson({ pairs: rows.length, seconds, pairsPerSecond: rate, out: o.out })}\n`);
    return;
  }
  printErr(
    `stancecheck: classified ${rows.length} pairs in ${seconds.toFixed(2)} s (${Math.round(rate)} pairs/s)${o.out === '-' ? '' : ` → ${o.out}`}\n`,
  );
}

/**
 * A chunk's error, with the pair it names (`row`: 1-based position in the chunk) described as the
 * input row: "row 3 of stances.csv" for a TIMEOUT, the input file and row in the context.
 */
function inChunk(
  e: unknown,
  o: BatchOptions,
  rows: readonly PairRow[],
  positions: readonly number[],
  limitMs: number,
): unknown {
  if (!(e instanceof StanceError)) return e;
  const k = e.context.row;
  const at = k !== undefined ? positions[k - 1] : undefined;
  if (at === undefined) return e;
  const d = describeRow(o, rows[at], at);
  if (e.code === 'TIMEOUT') return timeoutError(d.what, limitMs, d.context);
  return new StanceError(e.code, e.message, { ...e.context, ...d.context }, { cause: e });
}

/** Registers `batch` on the program. */
export function registerBatch(program: Command): void {
  program
    .command('batch')
    .description('classify many headline/body pairs into an FNC-1 submission file')
    .option('--bodies <file>', 'bodies CSV (Body ID,articleBody)')
    .option('--stances <file>', 'stances CSV (Headline,Body ID[,Stance]; any Stance column is ignored)')
    .option('--input <file>', 'pairs JSONL instead: {"headline","body"} or {"headline","bodyId"} per line')
    .requiredOption('--out <file>', 'output file (- for stdout); written atomically')
    .option('--format <fmt>', 'csv (FNC-1 submission) or jsonl (adds probabilities)', 'csv')
    .option(
      '--timeout <seconds>',
      `time limit per pair; exit 75 when one takes longer (default ${DEFAULT_TIMEOUT_SECONDS})`,
      parseSeconds,
    )
    .option(
      '--workers <n>',
      'checking threads, each with its own model: the main thread and n − 1 workers (default: one per core)',
      parseWorkers,
    )
    .option('--no-progress', 'no progress bar')
    .option('--json', 'summary and errors as JSON on stderr')
    .addHelpText(
      'after',
      `
Examples:
  $ stancecheck batch --bodies bodies.csv --stances stances.csv --out submission.csv
  $ stancecheck batch --input pairs.jsonl --out - --format jsonl`,
    )
    .action(async (_opts: BatchOptions, cmd: Command) => {
      await runBatch(cmd.optsWithGlobals<BatchOptions>());
    });
}

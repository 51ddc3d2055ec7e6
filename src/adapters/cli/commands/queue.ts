/**
 * `stancecheck queue submit|status|collect`: score a large set of pairs on many machines. `submit`
 * stores the pairs (bodies once) in Redis and enqueues them in chunks; `stancecheck worker`
 * processes; `status` shows progress; `collect` writes the results in input order, in the same
 * format as `batch`.
 */
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { StanceError } from '../../../core/errors.js';
import { outputFormat, outputHeader, outputLine, readPairRows } from '../../fs/pair-rows.js';
import { writeAtomic } from '../../fs/write-atomic.js';
import type { JobQueue, JobStatus, QueuedPair } from '../job-queue.js';
import { createProgress } from '../output.js';
import { resultText } from '../sanitize.js';

/** Default Redis when neither --redis nor STANCECHECK_REDIS is given. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** Default pairs per chunk: about a quarter of a second of scoring for one worker. */
export const DEFAULT_CHUNK_SIZE = 500;

/** The Redis URL from --redis, else $STANCECHECK_REDIS, else the default. */
export function redisUrl(flag: string | undefined): string {
  return flag ?? (process.env.STANCECHECK_REDIS || DEFAULT_REDIS_URL);
}

/** How the commands reach the queue. */
export interface QueueOptions {
  redis?: string;
  namespace?: string;
  attempts?: number;
  backoffMs?: number;
}

/** `--redis` and `--namespace`, shared by the queue commands and `worker`. */
export function addQueueOptions(cmd: Command): Command {
  return cmd
    .option('--redis <url>', `Redis URL (default: $STANCECHECK_REDIS or ${DEFAULT_REDIS_URL})`)
    .option(
      '--namespace <name>',
      'queue name, to keep several queues apart on one Redis (default stancecheck)',
    );
}

/** Opens the queue (the commands' only way to it; tests may replace nothing but the URL). */
export async function openQueue(o: QueueOptions): Promise<JobQueue> {
  // Loaded here, not at start-up: BullMQ and ioredis cost every other command ~100 ms to load.
  const { openRedisQueue } = await import('../../queue/redis-queue.js');
  return openRedisQueue({
    url: redisUrl(o.redis),
    ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
    ...(o.attempts !== undefined ? { attempts: o.attempts } : {}),
    ...(o.backoffMs !== undefined ? { backoffMs: o.backoffMs } : {}),
  });
}

async function withQueue<T>(o: QueueOptions, f: (q: JobQueue) => Promise<T>): Promise<T> {
  const q = await openQueue(o);
  try {
    return await f(q);
  } finally {
    await q.close();
  }
}

/** Options of `queue submit`. */
export interface SubmitOptions extends QueueOptions {
  bodies?: string;
  stances?: string;
  input?: string;
  chunkSize?: number;
  attempts?: number;
  backoffMs?: number;
  json?: boolean;
}

/** Runs `queue submit`: prints a summary on stderr and the job id as the last line of stdout. */
export async function runSubmit(o: SubmitOptions): Promise<void> {
  const rows = await readPairRows(o, 'queue submit');
  const bodies = new Map<string, string>();
  const pairs: QueuedPair[] = rows.map((r) => {
    const key = r.pair.bodyKey ?? `sha1:${createHash('sha1').update(r.pair.body).digest('hex')}`;
    if (!bodies.has(key)) bodies.set(key, r.pair.body);
    return { headline: r.headline, bodyId: r.bodyId, bodyKey: key };
  });
  const chunkSize = o.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (chunkSize < 1)
    throw new StanceError('USAGE', `--chunk-size expects a positive integer; found ${chunkSize}`);
  const id = await withQueue(o, (q) => q.submit({ pairs, bodies, chunkSize }));
  const chunks = Math.ceil(pairs.length / chunkSize);
  if (o.json) {
    process.stderr.write(
      `${JSON.stringify({ job: id, pairs: pairs.length, chunks, bodies: bodies.size, redis: redisUrl(o.redis) })}\n`,
    );
  } else {
    process.stderr.write(
      `stancecheck: queued ${pairs.length} pairs (${bodies.size} bodies) in ${chunks} chunks of ${chunkSize} at ${redisUrl(o.redis)}; job id:\n`,
    );
  }
  process.stdout.write(`${id}\n`);
}

function describe(s: JobStatus): string {
  const lines = [
    `job ${s.id}: ${s.state}; ${s.scoredPairs}/${s.pairs} pairs scored (${s.doneChunks}/${s.chunks} chunks of ${s.chunkSize}), ${s.failed.length} chunks failed`,
  ];
  for (const f of s.failed) {
    lines.push(
      `  chunk ${f.chunk} (pairs ${f.firstPair}–${f.firstPair + f.pairs - 1}) failed after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}: ${f.code}: ${f.message}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function failedError(s: JobStatus): StanceError {
  return new StanceError(
    'JOB_FAILED',
    `job ${s.id}: ${s.failed.length} of ${s.chunks} chunks failed for good (${s.failed.reduce((n, f) => n + f.pairs, 0)} pairs not scored); first: chunk ${s.failed[0]?.chunk}: ${s.failed[0]?.message}`,
  );
}

/** Options of `queue status`. */
export interface StatusOptions extends QueueOptions {
  wait?: boolean;
  intervalMs?: number;
  progress?: boolean;
  json?: boolean;
}

/** Runs `queue status`; exits 1 (JOB_FAILED) when chunks failed for good. */
export async function runStatus(id: string, o: StatusOptions): Promise<void> {
  const s = await withQueue(o, async (q) => {
    let st = await q.status(id);
    if (!o.wait) return st;
    const progress = createProgress(o.progress !== false);
    progress.start(st.pairs, 'pairs');
    try {
      while (st.state === 'running') {
        progress.update(st.scoredPairs);
        await new Promise((r) => setTimeout(r, o.intervalMs ?? 500));
        st = await q.status(id);
      }
      progress.update(st.scoredPairs);
    } finally {
      progress.stop();
    }
    return st;
  });
  process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : describe(s));
  if (s.state === 'failed') throw failedError(s);
}

/** Options of `queue collect`. */
export interface CollectOptions extends QueueOptions {
  out: string;
  format?: string;
  partial?: boolean;
  json?: boolean;
}

/** Runs `queue collect`: the job's results in input order, as `batch` writes them. */
export async function runCollect(id: string, o: CollectOptions): Promise<void> {
  const format = outputFormat(o.format);
  const written = await withQueue(o, async (q) => {
    const s = await q.status(id);
    if (s.state !== 'done' && !o.partial) {
      if (s.state === 'failed') throw failedError(s);
      throw new StanceError(
        'JOB_UNFINISHED',
        `job ${id} is not finished: ${s.scoredPairs}/${s.pairs} pairs scored; expected every pair (wait with \`queue status ${id} --wait\`, or pass --partial)`,
      );
    }
    let n = 0;
    let missing = 0;
    // The same bytes as `batch`: control characters from the input never reach a terminal.
    const printed = resultText(o.out, format);
    await writeAtomic(o.out, async (sink) => {
      const header = outputHeader(format);
      if (header !== '') await sink.write(header);
      let buf = '';
      for await (const item of q.results(id)) {
        if ('unscored' in item) {
          missing += item.unscored;
          continue;
        }
        buf += outputLine(format, item.pair, item.result);
        if (++n % 256 === 0) {
          await sink.write(printed(buf));
          buf = '';
        }
      }
      if (buf !== '') await sink.write(printed(buf));
    });
    return { n, missing };
  });
  const summary = { job: id, pairs: written.n, missing: written.missing, out: o.out };
  process.stderr.write(
    o.json
      ? `${JSON.stringify(summary)}\n`
      : `stancecheck: wrote ${written.n} pairs of job ${id}${written.missing > 0 ? ` (${written.missing} not scored, left out)` : ''}${o.out === '-' ? '' : ` → ${o.out}`}\n`,
  );
}

/** Registers `queue` and its subcommands. */
export function registerQueue(program: Command, parseIntOption: (v: string) => number): void {
  const queue = program
    .command('queue')
    .description('score many pairs on many machines through Redis (see also: stancecheck worker)');
  addQueueOptions(queue.command('submit'))
    .description('enqueue a job in chunks; prints the job id as the last line of stdout')
    .option('--bodies <file>', 'bodies CSV (Body ID,articleBody)')
    .option('--stances <file>', 'stances CSV (Headline,Body ID[,Stance]; any Stance column is ignored)')
    .option('--input <file>', 'pairs JSONL instead: {"headline","body"} or {"headline","bodyId"} per line')
    .option('--chunk-size <n>', `pairs per chunk (default ${DEFAULT_CHUNK_SIZE})`, parseIntOption)
    .option('--attempts <n>', 'tries per chunk before it fails for good (default 3)', parseIntOption)
    .option(
      '--backoff-ms <n>',
      'delay before the first retry, doubling each time (default 1000)',
      parseIntOption,
    )
    .option('--json', 'summary and errors as JSON on stderr')
    .action(async (_o: SubmitOptions, cmd: Command) => {
      await runSubmit(cmd.optsWithGlobals<SubmitOptions>());
    });
  addQueueOptions(queue.command('status <job>'))
    .description('progress of a job; exit 1 if chunks failed for good')
    .option('--wait', 'wait (live bar on a TTY) until every chunk is scored or failed')
    .option('--interval-ms <n>', 'poll interval with --wait (default 500)', parseIntOption)
    .option('--no-progress', 'no progress bar')
    .option('--json', 'status as JSON on stdout, errors as JSON on stderr')
    .action(async (job: string, _o: StatusOptions, cmd: Command) => {
      await runStatus(job, cmd.optsWithGlobals<StatusOptions>());
    });
  addQueueOptions(queue.command('collect <job>'))
    .description("write a finished job's results in input order, as `batch` does")
    .requiredOption('--out <file>', 'output file (- for stdout); written atomically')
    .option('--format <fmt>', 'csv (FNC-1 submission) or jsonl (adds probabilities)', 'csv')
    .option('--partial', 'write the pairs scored so far of an unfinished or failed job')
    .option('--json', 'summary and errors as JSON on stderr')
    .action(async (job: string, _o: CollectOptions, cmd: Command) => {
      await runCollect(job, cmd.optsWithGlobals<CollectOptions>());
    });
  queue.addHelpText(
    'after',
    `
Examples:
  $ stancecheck worker &            # on every machine, one per core
  $ JOB=$(stancecheck queue submit --bodies bodies.csv --stances stances.csv | tail -n1)
  $ stancecheck queue status "$JOB" --wait
  $ stancecheck queue collect "$JOB" --out submission.csv`,
  );
}

/**
 * `stancecheck batch`: classifies every pair of a stances file (or pairs JSONL) and writes an
 * FNC-1 submission CSV (`Headline,Body ID,Stance`) or JSONL with probabilities, atomically.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { PairResult } from '../../../core/classify-pairs.js';
import { StanceError } from '../../../core/errors.js';
import { outputFormat, outputHeader, outputLine, readPairRows, type PairRow } from '../../fs/pair-rows.js';
import { writeAtomic } from '../../fs/write-atomic.js';
import { ArticleRunner, DEFAULT_TIMEOUT_SECONDS, toBatchInput } from '../article-runner.js';
import { createProgress, printErr } from '../output.js';
import { escapeJsonControls, safeJson, stripControls } from '../sanitize.js';
import { parseSeconds } from './check.js';
import { splitByBody } from '../split-batch.js';

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
  /** Checking threads, each with its own model; default: the number of cores. */
  workers?: number;
}

/** Names a pair in a TIMEOUT message: "row 3 of stances.csv", "line 7 of pairs.jsonl". */
function describeRow(o: BatchOptions, row: PairRow | undefined, index: number) {
  if (!row) return { what: `pair ${index + 1}` };
  const unit = row.file === o.stances ? 'row' : 'line';
  return { what: `${unit} ${row.row} of ${basename(row.file)}`, context: { file: row.file, row: row.row } };
}

/** Runs `batch`: the model loads in the worker while the inputs are read. */
export async function runBatch(o: BatchOptions): Promise<void> {
  const format = outputFormat(o.format);
  const workers = o.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 1) {
    throw new StanceError('USAGE', `--workers expects a whole number ≥ 1; found ${workers}`);
  }
  const startRunners = async (): Promise<ArticleRunner[]> => {
    const started = await Promise.allSettled(
      Array.from({ length: workers }, () =>
        ArticleRunner.start({ modelPath: o.model, timeoutMs: (o.timeout ?? DEFAULT_TIMEOUT_SECONDS) * 1000 }),
      ),
    );
    const ok = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await Promise.all(ok.map((r) => r.close()));
      throw failed.reason;
    }
    return ok;
  };
  const starting = startRunners();
  // A model error is reported after any input error: keep it from counting as unhandled meanwhile.
  starting.catch(() => undefined);
  let rows: PairRow[];
  try {
    rows = await readPairRows(o);
  } catch (e) {
    void starting.then(
      (rs) => Promise.all(rs.map((r) => r.close())),
      () => undefined,
    );
    throw e;
  }
  const runners = await starting;
  // Each distinct body text is prepared once (not each Body ID: JSONL lines may share an id but
  // carry different bodies).
  const { bodies, pairs } = toBatchInput(rows.map((r) => r.pair));
  const inputs = [o.bodies, o.stances, o.input, o.model].filter((p): p is string => p !== undefined);
  // Printed output carries no control characters from the input; a file gets the same bytes as
  // `queue collect` would write.
  const printed = (text: string) =>
    o.out !== '-' ? text : format === 'csv' ? stripControls(text) : escapeJsonControls(text);
  const progress = createProgress(o.progress !== false);
  const started = performance.now();
  progress.start(rows.length, 'pairs');
  try {
    await writeAtomic(
      o.out,
      async (sink) => {
        const header = outputHeader(format);
        if (header !== '') await sink.write(header);
        let done = 0;
        const runner = runners[0] as ArticleRunner;
        if (runners.length === 1) {
          await runner.batch(
            bodies,
            pairs,
            async (results) => {
              let chunk = '';
              for (const r of results) chunk += outputLine(format, rows[done++] as PairRow, r);
              await sink.write(printed(chunk));
              progress.update(done);
            },
            (i) => describeRow(o, rows[i], i),
          );
          return;
        }
        // Several threads, each with whole bodies; results merged back into input order.
        const all = new Array<PairResult>(rows.length);
        const shares = splitByBody(bodies, pairs, runners.length);
        await Promise.all(
          shares.map((share, s) => {
            let k = 0;
            return (runners[s] as ArticleRunner).batch(
              share.bodies,
              share.pairs,
              async (results) => {
                for (const r of results) all[share.positions[k++] as number] = r;
                done += results.length;
                progress.update(done);
              },
              (i) => {
                const at = share.positions[i] ?? i;
                return describeRow(o, rows[at], at);
              },
            );
          }),
        );
        let chunk = '';
        for (let i = 0; i < rows.length; i++) {
          chunk += outputLine(format, rows[i] as PairRow, all[i] as PairResult);
          if (i % 256 === 255) {
            await sink.write(printed(chunk));
            chunk = '';
          }
        }
        if (chunk !== '') await sink.write(printed(chunk));
      },
      { inputs },
    );
  } finally {
    progress.stop();
    await Promise.all(runners.map((r) => r.close()));
  }
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
      'checking threads, each with its own model (default: one per core)',
      (v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1)
          throw new InvalidArgumentError(`expected a whole number ≥ 1; found ${v}`);
        return n;
      },
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

/**
 * `stancecheck batch`: classifies every pair of a stances file (or pairs JSONL) and writes an
 * FNC-1 submission CSV (`Headline,Body ID,Stance`) or JSONL with probabilities, atomically.
 */
import type { Command } from 'commander';
import { classifyPairs } from '../../../core/classify-pairs.js';
import { outputFormat, outputHeader, outputLine, readPairRows, type PairRow } from '../../fs/pair-rows.js';
import { writeAtomic } from '../../fs/write-atomic.js';
import { loadChecker } from '../../fs/load-checker.js';
import { createProgress } from '../output.js';

/** Options of `batch`. */
export interface BatchOptions {
  bodies?: string;
  stances?: string;
  input?: string;
  out: string;
  format?: string;
  progress?: boolean;
  json?: boolean;
  model?: string;
}

/** Runs `batch`. */
export async function runBatch(o: BatchOptions): Promise<void> {
  const format = outputFormat(o.format);
  const rows = await readPairRows(o);
  const checker = await loadChecker(o.model);
  const progress = createProgress(o.progress !== false);
  const started = performance.now();
  progress.start(rows.length, 'pairs');
  try {
    await writeAtomic(o.out, async (sink) => {
      const header = outputHeader(format);
      if (header !== '') await sink.write(header);
      let i = 0;
      let chunk = '';
      for (const r of classifyPairs(
        checker,
        rows.map((row) => row.pair),
      )) {
        chunk += outputLine(format, rows[i] as PairRow, r);
        i++;
        if (i % 256 === 0) {
          await sink.write(chunk);
          chunk = '';
          progress.update(i);
        }
      }
      if (chunk !== '') await sink.write(chunk);
      progress.update(i);
    });
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const rate = seconds > 0 ? rows.length / seconds : rows.length;
  if (o.json) {
    process.stderr.write(
      `${JSON.stringify({ pairs: rows.length, seconds, pairsPerSecond: rate, out: o.out })}\n`,
    );
    return;
  }
  process.stderr.write(
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

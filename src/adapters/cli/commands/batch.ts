/**
 * `stancecheck batch`: classifies every pair of a stances file (or pairs JSONL) and writes an
 * FNC-1 submission CSV (`Headline,Body ID,Stance`) or JSONL with probabilities, atomically.
 */
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { classifyPairs, type Pair } from '../../../core/classify-pairs.js';
import { StanceError } from '../../../core/errors.js';
import { readBodies, readPairsJsonl, readStances, type Bodies } from '../../fs/fnc-csv.js';
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

interface Row {
  headline: string;
  bodyId: string;
  pair: Pair;
}

/** Reads the pairs a batch run classifies. */
async function readRows(o: BatchOptions): Promise<Row[]> {
  if (o.input !== undefined && o.stances !== undefined) {
    throw new StanceError('USAGE', 'stancecheck: expected --stances or --input; found both');
  }
  if (o.input !== undefined) {
    const bodies: Bodies | undefined = o.bodies !== undefined ? await readBodies(o.bodies) : undefined;
    const pairs = await readPairsJsonl(o.input, bodies ? { bodies } : {});
    return pairs.map((p) => ({
      headline: p.headline,
      bodyId: p.bodyId ?? '',
      pair:
        p.bodyId !== undefined
          ? { headline: p.headline, body: p.body, bodyKey: p.bodyId }
          : { headline: p.headline, body: p.body },
    }));
  }
  if (o.stances === undefined || o.bodies === undefined) {
    throw new StanceError(
      'USAGE',
      `stancecheck: batch expects --bodies B.csv with --stances S.csv (or --input pairs.jsonl); found ${o.bodies === undefined ? 'no --bodies' : 'no --stances'}`,
    );
  }
  const bodies = await readBodies(o.bodies);
  const stances = await readStances(o.stances, { bodies, stance: 'ignore' });
  return stances.map((s) => ({
    headline: s.headline,
    bodyId: s.bodyId,
    pair: { headline: s.headline, body: bodies.get(s.bodyId) ?? '', bodyKey: s.bodyId },
  }));
}

/** Runs `batch`. */
export async function runBatch(o: BatchOptions): Promise<void> {
  const format = o.format ?? 'csv';
  if (format !== 'csv' && format !== 'jsonl') {
    throw new StanceError('USAGE', `stancecheck: --format expects csv or jsonl; found ${format}`);
  }
  const rows = await readRows(o);
  const checker = await loadChecker(o.model);
  const progress = createProgress(o.progress !== false);
  const started = performance.now();
  progress.start(rows.length, 'pairs');
  try {
    await writeAtomic(o.out, async (sink) => {
      if (format === 'csv') await sink.write(stringify([['Headline', 'Body ID', 'Stance']]));
      let i = 0;
      let chunk = '';
      for (const r of classifyPairs(
        checker,
        rows.map((row) => row.pair),
      )) {
        const row = rows[i] as Row;
        chunk +=
          format === 'csv'
            ? stringify([[row.headline, row.bodyId, r.label]])
            : `${JSON.stringify({ headline: row.headline, bodyId: row.bodyId || undefined, stance: r.label, probabilities: r.probabilities, language: r.language, warnings: r.warnings })}\n`;
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

/**
 * The pairs `batch` and `queue submit` read (a stances CSV with its bodies, or pairs JSONL) and the
 * one way both write results (FNC-1 submission CSV, or JSONL with probabilities), so a queued job
 * collects to the same bytes as a `batch` run.
 */
import { stringify } from 'csv-stringify/sync';
import type { Pair, PairResult } from '../../core/classify-pairs.js';
import { StanceError } from '../../core/errors.js';
import { readBodies, readPairsJsonl, readStances, type Bodies } from './fnc-csv.js';

/** Where the pairs come from (the CLI options of `batch` and `queue submit`). */
export interface PairSource {
  bodies?: string;
  stances?: string;
  input?: string;
}

/** One pair to score, with what the output row shows. */
export interface PairRow {
  headline: string;
  /** Body ID for the output ('' for JSONL pairs that gave the body text only). */
  bodyId: string;
  pair: Pair;
  /** The input file and its 1-based row (stances CSV data row, or JSONL line), for messages. */
  file: string;
  row: number;
}

/** Output formats of `batch` and `queue collect`. */
export type OutputFormat = 'csv' | 'jsonl';

/** Checks a --format value. */
export function outputFormat(format: string | undefined): OutputFormat {
  const f = format ?? 'csv';
  if (f !== 'csv' && f !== 'jsonl') {
    throw new StanceError('USAGE', `--format expects csv or jsonl; found ${f}`);
  }
  return f;
}

/**
 * Reads the pairs of a stances file (with --bodies) or of pairs JSONL (--input), in file order.
 *
 * @throws StanceError USAGE when the options do not name one source, plus the readers' errors.
 */
export async function readPairRows(o: PairSource, command = 'batch'): Promise<PairRow[]> {
  if (o.input !== undefined && o.stances !== undefined) {
    throw new StanceError('USAGE', 'expected --stances or --input; found both');
  }
  if (o.input !== undefined) {
    const bodies: Bodies | undefined = o.bodies !== undefined ? await readBodies(o.bodies) : undefined;
    const pairs = await readPairsJsonl(o.input, bodies ? { bodies } : {});
    const input = o.input;
    // A line with its own body text is keyed by that text, even when it names a bodyId too: two
    // lines with one bodyId and different bodies each get their own body's verdict.
    return pairs.map((p) => ({
      headline: p.headline,
      bodyId: p.bodyId ?? '',
      pair:
        p.bodyId !== undefined && !p.ownBody
          ? { headline: p.headline, body: p.body, bodyKey: p.bodyId }
          : { headline: p.headline, body: p.body },
      file: input,
      row: p.row,
    }));
  }
  if (o.stances === undefined || o.bodies === undefined) {
    throw new StanceError(
      'USAGE',
      `${command} expects --bodies B.csv with --stances S.csv (or --input pairs.jsonl); found ${o.bodies === undefined ? 'no --bodies' : 'no --stances'}`,
    );
  }
  const stancesPath = o.stances;
  const bodies = await readBodies(o.bodies);
  const stances = await readStances(stancesPath, { bodies, stance: 'ignore' });
  return stances.map((s) => ({
    headline: s.headline,
    bodyId: s.bodyId,
    pair: { headline: s.headline, body: bodies.get(s.bodyId) ?? '', bodyKey: s.bodyId },
    file: stancesPath,
    row: s.row,
  }));
}

/** The first line(s) of an output file: the CSV header, nothing for JSONL. */
export function outputHeader(format: OutputFormat): string {
  return format === 'csv' ? stringify([['Headline', 'Body ID', 'Stance']]) : '';
}

/** One output line for a scored pair. */
export function outputLine(
  format: OutputFormat,
  row: { headline: string; bodyId: string },
  r: PairResult,
): string {
  return format === 'csv'
    ? stringify([[row.headline, row.bodyId, r.label]])
    : `${JSON.stringify({ headline: row.headline, bodyId: row.bodyId || undefined, stance: r.label, probabilities: r.probabilities, language: r.language, warnings: r.warnings })}\n`;
}

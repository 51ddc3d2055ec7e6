/**
 * The benches' 25,413-pair stances file (the size of the FNC-1 competition test set), cut from the
 * training stances with labels dropped: speed only, accuracy is not measured with it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/** Number of pairs in the file. */
export const BENCH_PAIRS = 25413;

/** Writes `stances-25413.csv` into `dir` from `DATA/train_stances.csv` and returns its path. */
export function writeBenchStances(dataDir: string, dir: string): string {
  const path = join(dir, `stances-${BENCH_PAIRS}.csv`);
  const rows = parse(readFileSync(join(dataDir, 'train_stances.csv')), { columns: true }) as Record<
    string,
    string
  >[];
  writeFileSync(
    path,
    stringify(
      rows.slice(0, BENCH_PAIRS).map((r) => ({ Headline: r.Headline, 'Body ID': r['Body ID'] })),
      { header: true },
    ),
  );
  return path;
}

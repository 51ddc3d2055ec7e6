/**
 * The worker pool as the bulk commands (`batch`, `corpus audit`) start it: how many threads
 * (`--workers`) and the heap limit of each.
 */
import { InvalidArgumentError } from 'commander';

/**
 * Heap limit of each worker of a bulk run, MB. With a limit V8 collects sooner: a 25,413-pair
 * batch with two workers peaked at 350 MB instead of about 500 MB (/usr/bin/time -v, this machine).
 */
export const BULK_HEAP_MB = 512;

/** Parses `--workers <n>`: a whole number ≥ 1. */
export function parseWorkers(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`expected a whole number ≥ 1; found ${v}`);
  return n;
}

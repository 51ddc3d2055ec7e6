/**
 * docs/BENCHMARKS.md is written by the benchmarks, one section each: a section starts at its
 * "## " heading and runs to the next one. Rerunning a benchmark replaces only its own section.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const BENCHMARKS_DOC = 'docs/BENCHMARKS.md';

const PREAMBLE =
  '# Benchmarks\n\nEvery figure here is written by a command in this repository; rerun it to check.\n';

/** Replaces (or appends) the section whose first line is `heading` with `section`. */
export function writeBenchSection(heading: string, section: string, path = BENCHMARKS_DOC): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : PREAMBLE;
  const parts = doc.split(/\n(?=## )/);
  const body = `${section.trimEnd()}\n`;
  const at = parts.findIndex((p) => p.startsWith(heading));
  if (at >= 0) parts[at] = body;
  else parts.push(body);
  writeFileSync(path, `${parts.map((p) => p.trimEnd()).join('\n\n')}\n`);
}

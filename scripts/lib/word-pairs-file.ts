/**
 * Writes (or, with --check on the command line, compares) a generated TypeScript file holding a
 * sorted list of word pairs: the shared end of scripts/make-antonyms.ts and make-synonyms.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface WordPairsFile {
  /** The pairs, each already in its order (a < b); sorted and written once each. */
  pairs: Iterable<readonly [string, string]>;
  /** What a pair is, for messages ("antonym", "synonym"). */
  what: string;
  /** The file's doc comment, without the comment markers, given the number of pairs. */
  header: (count: number) => string;
  /** The exported constant's name. */
  constName: string;
  /** The file, relative to the repository root (e.g. "src/core/features/antonyms.ts"). */
  path: string;
}

/** Writes the file, or with --check exits 1 when the committed file differs from what it would write. */
export function writeWordPairsFile(f: WordPairsFile): void {
  const sorted = [...f.pairs].sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  const lines = sorted.map(([a, b]) => `  ['${a}', '${b}'],`);
  const header = f
    .header(sorted.length)
    .split('\n')
    .map((l) => ` * ${l}`)
    .join('\n');
  const out = `/**
${header}
 */
export const ${f.constName}: readonly (readonly [string, string])[] = [
${lines.join('\n')}
];
`;
  const target = new URL(`../../${f.path}`, import.meta.url);
  if (process.argv.includes('--check')) {
    const same = readFileSync(target, 'utf8') === out;
    console.log(`${sorted.length} ${f.what} pairs: ${f.path} ${same ? 'is up to date' : 'DIFFERS'}`);
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(target, out);
    console.log(`${sorted.length} ${f.what} pairs → ${f.path}`);
  }
}

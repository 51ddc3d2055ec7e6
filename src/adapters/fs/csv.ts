/**
 * A strict RFC 4180 CSV reader for the FNC-1 files, written for `batch`'s start-up: the files are
 * read before the first pair is scored, and csv-parse took about 0.57 s of a fresh process on the
 * 25,413-pair bench files (bodies and stances, 5.7 MB) where this takes about 0.1 s
 * (docs/BENCHMARKS.md). It accepts and rejects what csv-parse did with the options fnc-csv.ts used
 * (`bom`, `skip_empty_lines`; the first line ending outside quotes, `\r\n`, `\n` or `\r`, ends every
 * record; `test/csv.test.ts` compares the two on thousands of random texts), and says where a
 * problem is: the record and the line of the file.
 */

/** A record and the 1-based line of the file where it starts. */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/** A text that is not well-formed CSV: what is wrong, in which record (1 = the first) and on which line. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly detail: string,
    /** 1-based record number (the header is record 1). */
    readonly record: number,
    /** 1-based line of the file where the problem was found. */
    readonly line: number,
  ) {
    super(`${detail} (record ${record}, line ${line})`);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/** Physical lines in text[from, to): "\r\n", "\n" and a lone "\r" each end one. */
function lineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) count++;
    else if (c === CR && text.charCodeAt(i + 1) !== LF) count++;
  }
  return count;
}

/**
 * Every non-empty record of a CSV text, in order. Throws {@link CsvSyntaxError} for a quote that
 * is never closed, anything but a comma or the line ending after a closing quote, a quote inside
 * an unquoted field, and a record with another number of fields than the first.
 */
export function parseCsvRecords(text: string): CsvRecord[] {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  /** The record delimiter, set by the first line ending outside quotes. */
  let eol = '';
  let line = 1;
  const out: CsvRecord[] = [];
  let width = -1;

  /** Length of the record delimiter at position j (0 when there is none); sets it the first time. */
  const endAt = (j: number): number => {
    const c = text.charCodeAt(j);
    if (c !== CR && c !== LF) return 0;
    if (eol === '') eol = c === CR ? (text.charCodeAt(j + 1) === LF ? '\r\n' : '\r') : '\n';
    if (eol === '\r\n') return c === CR && text.charCodeAt(j + 1) === LF ? 2 : 0;
    return c === eol.charCodeAt(0) ? 1 : 0;
  };

  while (i < n) {
    const start = endAt(i);
    if (start > 0) {
      // An empty line: skipped.
      i += start;
      line++;
      continue;
    }
    const record = out.length + 1;
    const recordLine = line;
    const cells: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        // The closing quote is the first quote not followed by another; the pairs between are
        // doubled quotes, undoubled in one pass.
        let j = i + 1;
        let doubled = false;
        let close: number;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            throw new CsvSyntaxError(
              `a quoted field opened on line ${line} is never closed: expected a closing quote, found the end of the file`,
              record,
              line,
            );
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            doubled = true;
            j = q + 2;
            continue;
          }
          close = q;
          break;
        }
        const raw = text.slice(i + 1, close);
        const value = doubled ? raw.replaceAll('""', '"') : raw;
        line += lineBreaks(text, i + 1, close);
        i = close + 1;
        if (i < n && text.charCodeAt(i) !== COMMA && endAt(i) === 0) {
          throw new CsvSyntaxError(
            `expected a comma or the end of the line after a closing quote, found ${JSON.stringify(text[i])}`,
            record,
            line,
          );
        }
        cells.push(value);
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === COMMA) break;
          if (c === QUOTE) {
            throw new CsvSyntaxError(
              'a quote inside an unquoted field: expected a field that is quoted as a whole, with inner quotes doubled',
              record,
              line,
            );
          }
          if (c === CR || c === LF) {
            if (endAt(j) > 0) break;
            // A line break that is not the file's record delimiter belongs to the field.
            if (c === LF || text.charCodeAt(j + 1) !== LF) line++;
          }
          j++;
        }
        cells.push(text.slice(i, j));
        i = j;
      }
      if (i >= n) break;
      if (text.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      i += endAt(i);
      line++;
      break;
    }
    if (width < 0) width = cells.length;
    else if (cells.length !== width) {
      throw new CsvSyntaxError(
        `expected ${width} fields as in the first record, found ${cells.length}`,
        record,
        recordLine,
      );
    }
    out.push({ cells, line: recordLine });
  }
  return out;
}

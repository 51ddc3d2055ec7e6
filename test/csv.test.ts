import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { CsvSyntaxError, parseCsvRecords } from '../src/adapters/fs/csv.js';

/** csv-parse with the options fnc-csv.ts used before its own reader: the oracle. */
function oracle(text: string): string[][] | 'error' {
  try {
    return parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch {
    return 'error';
  }
}

function ours(text: string): string[][] | 'error' {
  try {
    return parseCsvRecords(text).map((r) => r.cells);
  } catch (e) {
    assert.ok(e instanceof CsvSyntaxError, `expected a CsvSyntaxError, got ${String(e)}`);
    return 'error';
  }
}

/** Deterministic random texts over an alphabet of CSV's troublesome pieces. */
function* texts(seed: number, alphabet: readonly string[], maxPieces: number, count: number) {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let k = 0; k < count; k++) {
    let t = rnd() < 0.05 ? '\ufeff' : '';
    const pieces = 1 + Math.floor(rnd() * maxPieces);
    for (let i = 0; i < pieces; i++) t += alphabet[Math.floor(rnd() * alphabet.length)] as string;
    yield t;
  }
}

describe('the CSV reader', () => {
  it('accepts and rejects what csv-parse did, with the same cells, on 60,000 random texts', () => {
    const runs = [
      { alphabet: ['a', 'b', ',', '"', '\n', '\r', '\r\n', ' ', '""'], max: 14 },
      { alphabet: ['a', 'a', ',', ',', '""', '\n', '\r\n', '"a"', ',"a,\n"', '""""'], max: 40 },
    ];
    let accepted = 0;
    for (const [n, run] of runs.entries()) {
      for (const text of texts(n + 1, run.alphabet, run.max, 30_000)) {
        const expected = oracle(text);
        assert.deepEqual(ours(text), expected, `for ${JSON.stringify(text)}`);
        if (expected !== 'error') accepted++;
      }
    }
    // Both kinds of text were tried.
    assert.ok(accepted > 5_000 && accepted < 55_000, `${accepted} accepted`);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and skips empty lines', () => {
    const records = parseCsvRecords(
      '\ufeffBody ID,articleBody\r\n1,"He said ""no"",\r\nthen left"\r\n\r\n2,plain\r\n',
    );
    assert.deepEqual(records, [
      { cells: ['Body ID', 'articleBody'], line: 1 },
      { cells: ['1', 'He said "no",\r\nthen left'], line: 2 },
      { cells: ['2', 'plain'], line: 5 },
    ]);
  });

  it('keeps a line break that is not the file’s own line ending inside a field', () => {
    // The first line ends in \r\n, so a bare \n belongs to the field (as csv-parse reads it).
    assert.deepEqual(
      parseCsvRecords('a,b\r\nx\ny,z\r\n').map((r) => r.cells),
      [
        ['a', 'b'],
        ['x\ny', 'z'],
      ],
    );
  });

  const failures: [string, string, RegExp, number, number][] = [
    [
      'an unclosed quote (where it opened)',
      'a,b\nx,"never closed\nmore\n',
      /opened on line 2 is never closed/,
      2,
      2,
    ],
    ['text after a closing quote', 'a,b\n"x"y,z\n', /after a closing quote, found "y"/, 2, 2],
    ['a quote inside an unquoted field', 'a,b\nc,d\nab"c,d\n', /quote inside an unquoted field/, 3, 3],
    ['a short record', 'a,b,c\n"x\ny",z\n', /expected 3 fields as in the first record, found 2/, 2, 2],
  ];
  for (const [what, text, message, record, line] of failures) {
    it(`names the record and the line of ${what}`, () => {
      assert.throws(
        () => parseCsvRecords(text),
        (e: unknown) =>
          e instanceof CsvSyntaxError && message.test(e.detail) && e.record === record && e.line === line,
      );
    });
  }

  const median = (f: () => void): number => {
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      f();
      runs.push(performance.now() - t);
    }
    return runs.sort((a, b) => a - b)[1] as number;
  };

  it('takes time linear in the number of records: 4 times the records take less than 8 times as long', () => {
    const row = '"Headline, with a comma",123,agree\n';
    const time = (k: number) => {
      const text = 'Headline,Body ID,Stance\n' + row.repeat(k);
      return median(() => parseCsvRecords(text));
    };
    // Both sizes outgrow V8's young generation (the records are kept), so both pay for promotion.
    time(100_000); // warm-up
    const small = time(100_000);
    const large = time(400_000);
    assert.ok(large / small < 8, `${large.toFixed(1)} ms vs ${small.toFixed(1)} ms`);
  });

  it('takes time linear in a field: 4 times the doubled quotes and line breaks take less than 8 times as long', () => {
    const time = (k: number) => {
      const text = `Body ID,articleBody\n1,"${'He said ""no"".\r\n'.repeat(k)}"\n`;
      return median(() => {
        const [, body] = parseCsvRecords(text);
        assert.equal(body?.cells[1]?.length, 15 * k);
      });
    };
    // As above, both sizes outgrow the young generation.
    time(100_000);
    const small = time(100_000);
    const large = time(400_000);
    assert.ok(large / small < 8, `${large.toFixed(1)} ms vs ${small.toFixed(1)} ms`);
  });
});

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { decodeUtf8, findInvalidUtf8, readAllBytes, readInput } from '../src/adapters/fs/read-input.js';
import { StanceError, type ErrorCode } from '../src/core/errors.js';

async function codeOf(p: Promise<unknown>): Promise<{ code: ErrorCode | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StanceError, `expected a StanceError, got ${String(e)}`);
    return { code: e.code, message: e.message };
  }
  return { code: undefined, message: '' };
}

describe('readInput', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stancecheck-read-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a UTF-8 file as text', async () => {
    const p = join(dir, 'ok.txt');
    await writeFile(p, 'Caf\u00e9 headline\nBody.');
    assert.equal(await readInput(p), 'Caf\u00e9 headline\nBody.');
  });

  it('refuses a missing file with FILE_NOT_FOUND naming the path', async () => {
    const p = join(dir, 'nope.txt');
    const r = await codeOf(readInput(p));
    assert.equal(r.code, 'FILE_NOT_FOUND');
    assert.ok(r.message.includes(p));
  });

  it('refuses a directory with FILE_NOT_FOUND', async () => {
    assert.equal((await codeOf(readInput(dir))).code, 'FILE_NOT_FOUND');
  });

  it('refuses non-UTF-8 bytes with INPUT_ENCODING giving the byte offset and line', async () => {
    const p = join(dir, 'latin1.txt');
    // "Headline\nCaf\xe9" in Latin-1: the bad byte is at offset 12, line 2.
    await writeFile(p, Buffer.from([...Buffer.from('Headline\nCaf'), 0xe9, 0x0a]));
    const r = await codeOf(readInput(p));
    assert.equal(r.code, 'INPUT_ENCODING');
    assert.match(r.message, /byte 0xe9 at byte 12 \(line 2\)/);
    assert.ok(r.message.includes(p));
  });

  it('refuses a 50 MB file with INPUT_TOO_LARGE from its size alone, without reading it', async () => {
    const p = join(dir, 'big.txt');
    const fh = await open(p, 'w');
    await fh.truncate(50 * 1024 * 1024); // sparse: nothing is actually written
    await fh.close();
    const small = join(dir, 'small-1k.txt');
    await writeFile(small, 'x'.repeat(1024));
    // Best of several runs, as a ratio: refusing 50 MB costs about as much as reading 1 KB.
    const best = async (f: () => Promise<unknown>) => {
      let min = Infinity;
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        await f();
        min = Math.min(min, performance.now() - t0);
      }
      return min;
    };
    const r = await codeOf(readInput(p));
    assert.equal(r.code, 'INPUT_TOO_LARGE');
    assert.match(r.message, /at most 20\.0 MB, found 50\.0 MB/);
    const refuse = await best(() => codeOf(readInput(p)));
    const read1k = await best(() => readInput(small));
    assert.ok(
      refuse <= 5 * read1k + 1,
      `refusing took ${refuse.toFixed(2)} ms vs ${read1k.toFixed(2)} ms for 1 KB`,
    );
  });

  it('applies a configurable limit', async () => {
    const p = join(dir, 'small.txt');
    await writeFile(p, 'x'.repeat(100));
    assert.equal((await codeOf(readInput(p, { maxBytes: 50 }))).code, 'INPUT_TOO_LARGE');
    assert.equal((await readInput(p, { maxBytes: 100 })).length, 100);
  });

  it('reads stdin for - with the same limit', async () => {
    assert.equal(
      await readInput('-', { stdin: Readable.from([Buffer.from('Head\n'), Buffer.from('Body.')]) }),
      'Head\nBody.',
    );
    const big = Readable.from([Buffer.alloc(40, 0x61), Buffer.alloc(40, 0x61)]);
    const r = await codeOf(readInput('-', { stdin: big, maxBytes: 64 }));
    assert.equal(r.code, 'INPUT_TOO_LARGE');
    assert.match(r.message, /stdin/);
  });

  it('reports invalid UTF-8 on stdin as INPUT_ENCODING', async () => {
    const r = await codeOf(readInput('-', { stdin: Readable.from([Buffer.from([0x41, 0xff])]) }));
    assert.equal(r.code, 'INPUT_ENCODING');
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8 and drops a leading BOM', () => {
    assert.equal(decodeUtf8(Buffer.from('\ufeffCaf\u00e9'), 'x'), 'Caf\u00e9');
  });
  it('names the input, byte offset and line, with the hint given', () => {
    const bad = Buffer.from([...Buffer.from('ok\nok\n'), 0xff]);
    assert.throws(
      () => decodeUtf8(bad, 'request body', { hint: 'send UTF-8' }),
      (e: unknown) =>
        e instanceof StanceError &&
        e.code === 'INPUT_ENCODING' &&
        e.message ===
          'request body is not valid UTF-8; expected UTF-8 text, found byte 0xff at byte 6 (line 3) (send UTF-8)' &&
        e.context.row === 3,
    );
  });
});

describe('readAllBytes', () => {
  it('reads a web ReadableStream and refuses it past the limit', async () => {
    const web = (parts: string[]) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          for (const p of parts) c.enqueue(new TextEncoder().encode(p));
          c.close();
        },
      });
    assert.equal(Buffer.from(await readAllBytes(web(['ab', 'cd']), 'body', 4)).toString(), 'abcd');
    const r = await codeOf(readAllBytes(web(['ab', 'cd', 'e']), 'body', 4));
    assert.equal(r.code, 'INPUT_TOO_LARGE');
    assert.match(r.message, /^body is too large; expected at most 4 bytes/);
  });
});

describe('findInvalidUtf8', () => {
  it('accepts valid multi-byte text', () => {
    assert.equal(findInvalidUtf8(Buffer.from('h\u00e9 \u20ac \u{1F600}')), undefined);
  });
  it('finds truncated sequences, overlong forms and surrogates', () => {
    assert.deepEqual(findInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82])), { offset: 1, line: 1 });
    assert.deepEqual(findInvalidUtf8(Buffer.from([0xc0, 0x80])), { offset: 0, line: 1 });
    assert.deepEqual(findInvalidUtf8(Buffer.from([0x0a, 0xed, 0xa0, 0x80])), { offset: 1, line: 2 });
  });
});

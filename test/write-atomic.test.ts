import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomic, writeFileAtomic } from '../src/adapters/fs/write-atomic.js';
import { StanceError } from '../src/core/errors.js';

describe('writeAtomic', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stancecheck-write-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes streamed chunks to the target and leaves no temporary file', async () => {
    const p = join(dir, 'out.csv');
    await writeAtomic(p, async (sink) => {
      for (let i = 0; i < 1000; i++) await sink.write(`row ${i}\n`);
    });
    const text = await readFile(p, 'utf8');
    assert.equal(text.split('\n').length, 1001);
    assert.deepEqual(await readdir(dir), ['out.csv']);
  });

  it('leaves neither output nor temporary file when the producer fails midway', async () => {
    const p = join(dir, 'failed.csv');
    await assert.rejects(
      writeAtomic(p, async (sink) => {
        await sink.write('Headline,Body ID,Stance\n');
        await sink.write('half a batch\n');
        throw new StanceError('INPUT_FORMAT', 'stancecheck: row 2 is bad');
      }),
      (e: unknown) => e instanceof StanceError && e.code === 'INPUT_FORMAT',
    );
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f !== 'out.csv'),
      [],
    );
  });

  it('keeps the previous file intact when a rewrite fails', async () => {
    const p = join(dir, 'keep.csv');
    await writeFile(p, 'old\n');
    await assert.rejects(
      writeAtomic(p, async (sink) => {
        await sink.write('new partial');
        throw new Error('boom');
      }),
    );
    assert.equal(await readFile(p, 'utf8'), 'old\n');
    await writeFileAtomic(p, 'new\n');
    assert.equal(await readFile(p, 'utf8'), 'new\n');
  });

  it('refuses an output in a missing directory with OUTPUT_FAILED', async () => {
    await assert.rejects(
      writeFileAtomic(join(dir, 'no', 'such', 'dir', 'x.csv'), 'x'),
      (e: unknown) => e instanceof StanceError && e.code === 'OUTPUT_FAILED' && /x\.csv/.test(e.message),
    );
  });

  it('refuses a directory as the output with OUTPUT_FAILED', async () => {
    await assert.rejects(
      writeFileAtomic(dir, 'x'),
      (e: unknown) => e instanceof StanceError && e.code === 'OUTPUT_FAILED',
    );
  });
});

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { lstatSync, statSync } from 'node:fs';
import { link, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomic, writeFileAtomic } from '../src/adapters/fs/write-atomic.js';
import { StanceError } from '../src/core/errors.js';

/**
 * A character device to use as an output: /dev/null itself when we cannot replace it anyway, but
 * as root (where a broken writer would replace /dev/null for the whole machine) a private copy.
 */
function nullDevice(dir: string): string {
  if (process.getuid?.() !== 0) return '/dev/null';
  const p = join(dir, 'null-device');
  execFileSync('mknod', [p, 'c', '1', '3']);
  return p;
}

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
        throw new StanceError('INPUT_FORMAT', 'row 2 is bad');
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

  it('refuses a FIFO and a device as the output, leaving them as they are', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const refused = (what: RegExp) => (e: unknown) =>
      e instanceof StanceError && e.code === 'OUTPUT_FAILED' && what.test(e.message);
    await assert.rejects(writeFileAtomic(fifo, 'x'), refused(/found a FIFO/));
    assert.ok(lstatSync(fifo).isFIFO());
    const device = nullDevice(dir);
    await assert.rejects(writeFileAtomic(device, 'x'), refused(/found a character device/));
    assert.ok(statSync(device).isCharacterDevice());
    await rm(fifo);
  });

  it('refuses to write over one of the inputs, through a hard link or a symlink too', async () => {
    const input = join(dir, 'input.csv');
    await writeFile(input, 'precious\n');
    await link(input, join(dir, 'input-hard.csv'));
    await symlink(input, join(dir, 'input-soft.csv'));
    for (const out of ['input.csv', 'input-hard.csv', 'input-soft.csv']) {
      await assert.rejects(
        writeFileAtomic(join(dir, out), 'clobbered', { inputs: ['-', input] }),
        (e: unknown) =>
          e instanceof StanceError && e.code === 'OUTPUT_FAILED' && /same file as the input/.test(e.message),
      );
    }
    assert.equal(await readFile(input, 'utf8'), 'precious\n');
    await writeFileAtomic(join(dir, 'input-copy.csv'), 'fine', { inputs: [input] });
    await Promise.all(
      ['input.csv', 'input-hard.csv', 'input-soft.csv', 'input-copy.csv'].map((f) => rm(join(dir, f))),
    );
  });

  it('writes through a symlink to its target, keeping the link', async () => {
    const target = join(dir, 'target.csv');
    await writeFile(target, 'old');
    await symlink(target, join(dir, 'via-link.csv'));
    await writeFileAtomic(join(dir, 'via-link.csv'), 'new');
    assert.ok(lstatSync(join(dir, 'via-link.csv')).isSymbolicLink());
    assert.equal(await readFile(target, 'utf8'), 'new');
    await Promise.all(['target.csv', 'via-link.csv'].map((f) => rm(join(dir, f))));
  });

  it('removes temporary files of processes that no longer run, and keeps those of running ones', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    assert.ok(dead !== undefined);
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const stale = `.stale.csv.${dead}.0badc0de.tmp`;
      const live = `.stale.csv.${alive.pid}.0badc0de.tmp`;
      const other = `.other.csv.${dead}.0badc0de.tmp`;
      for (const f of [stale, live, other]) await writeFile(join(dir, f), 'partial');
      await writeFileAtomic(join(dir, 'stale.csv'), 'done');
      const names = await readdir(dir);
      assert.ok(!names.includes(stale), "the dead process's temporary file is gone");
      assert.ok(names.includes(live), "a running process's temporary file stays");
      assert.ok(names.includes(other), 'temporary files of other targets stay');
      await Promise.all([live, other, 'stale.csv'].map((f) => rm(join(dir, f))));
    } finally {
      alive.kill();
    }
  });
});

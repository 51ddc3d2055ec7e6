/**
 * `batch --workers N`: the same bytes as `--workers 1`; chunks for the pool hold each body, with all
 * its pairs, once.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkByBody, chunkTarget, toBatchInput } from '../src/adapters/cli/split-batch.js';
import { writeSyntheticFnc, type SyntheticFiles } from './helpers/synthetic-fnc.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'src', 'adapters', 'cli', 'main.ts');
const MODEL = join(ROOT, 'test', 'fixtures', 'tiny.model');

async function batch(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, '--model', MODEL, 'batch', '--no-progress', ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stderr };
}

describe('chunkByBody', () => {
  it('puts each body, with all its pairs, in exactly one chunk and keeps input order within a body', () => {
    const { bodies, pairs } = toBatchInput(
      Array.from({ length: 50 }, (_, i) => ({ headline: `h${i}`, body: `b${(i * 3) % 7}` })),
    );
    const chunks = chunkByBody(bodies, pairs, 10);
    assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
    const positions = chunks.flatMap((c) => c.positions).sort((a, b) => a - b);
    assert.deepEqual(positions, [...Array(50).keys()]);
    const owner = new Map<string, number>();
    chunks.forEach((c, ci) => {
      c.pairs.forEach((p, k) => {
        const at = c.positions[k] as number;
        assert.equal(c.bodies[p.bodyKey], `b${(at * 3) % 7}`);
        assert.equal(p.headline, `h${at}`);
        assert.equal(owner.get(p.bodyKey) ?? ci, ci, 'a body is in one chunk only');
        owner.set(p.bodyKey, ci);
      });
      for (const key of Object.keys(c.bodies)) {
        const mine = c.positions.filter((_, k) => c.pairs[k]?.bodyKey === key);
        assert.deepEqual(
          mine,
          [...mine].sort((a, b) => a - b),
          'input order within a body',
        );
      }
    });
  });

  it('aims at the target size without splitting a body, and sizes chunks for the pool', () => {
    const { bodies, pairs } = toBatchInput([
      ...Array.from({ length: 30 }, (_, i) => ({ headline: `x${i}`, body: 'big' })),
      ...Array.from({ length: 5 }, (_, i) => ({ headline: `y${i}`, body: `small ${i}` })),
    ]);
    const chunks = chunkByBody(bodies, pairs, 8);
    assert.equal(chunks[0]?.pairs.length, 30, 'a body with more pairs than the target stays whole');
    assert.deepEqual(
      chunks.slice(1).map((c) => c.pairs.length),
      [5],
    );
    assert.equal(chunkTarget(25413, 2), 256);
    assert.equal(chunkTarget(100, 4), 16);
  });
});

describe('batch --workers', { timeout: 180_000 }, () => {
  let dir: string;
  let files: SyntheticFiles;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stancecheck-workers-'));
    files = await writeSyntheticFnc(dir, 4000, 60, 5);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the same bytes with 2 and 3 checking threads as with one (CSV and JSONL)', async () => {
    const runs = [
      ['1', 'csv'],
      ['2', 'csv'],
      ['3', 'csv'],
      ['1', 'jsonl'],
      ['2', 'jsonl'],
    ] as const;
    for (const [w, fmt] of runs) {
      const input =
        fmt === 'csv'
          ? ['--bodies', files.bodies, '--stances', files.stances]
          : ['--input', files.pairsJsonl];
      const r = await batch(...input, '--workers', w, '--format', fmt, '--out', join(dir, `w${w}.${fmt}`));
      assert.equal(r.code, 0, r.stderr);
    }
    const one = await readFile(join(dir, 'w1.csv'), 'utf8');
    assert.equal(one.split('\n').length, 4002);
    assert.equal(await readFile(join(dir, 'w2.csv'), 'utf8'), one);
    assert.equal(await readFile(join(dir, 'w3.csv'), 'utf8'), one);
    assert.equal(
      await readFile(join(dir, 'w2.jsonl'), 'utf8'),
      await readFile(join(dir, 'w1.jsonl'), 'utf8'),
    );
  });

  it('refuses --workers 0 as a usage error', async () => {
    const r = await batch(
      '--bodies',
      files.bodies,
      '--stances',
      files.stances,
      '--workers',
      '0',
      '--out',
      join(dir, 'x.csv'),
    );
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--workers.*expected a whole number ≥ 1; found 0/);
  });
});

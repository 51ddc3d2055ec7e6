/**
 * `batch --workers N`: the same bytes as `--workers 1`, each body prepared by one thread only.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitByBody } from '../src/adapters/cli/split-batch.js';
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

describe('splitByBody', () => {
  it('gives each body, with all its pairs, to exactly one share and keeps input order within a share', () => {
    const bodies = ['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
    const pairs = Array.from({ length: 50 }, (_, i) => ({ headline: `h${i}`, body: i % 7 }));
    const shares = splitByBody(bodies, pairs, 3);
    assert.equal(shares.length, 3);
    const positions = shares.flatMap((s) => s.positions).sort((a, b) => a - b);
    assert.deepEqual(positions, [...Array(50).keys()]);
    const owner = new Map<string, number>();
    shares.forEach((s, si) => {
      assert.deepEqual(
        [...s.positions],
        [...s.positions].sort((a, b) => a - b),
      );
      s.pairs.forEach((p, k) => {
        const text = s.bodies[p.body] as string;
        const at = s.positions[k] as number;
        assert.equal(text, bodies[at % 7]);
        assert.equal(p.headline, `h${at}`);
        assert.equal(owner.get(text) ?? si, si);
        owner.set(text, si);
      });
    });
    const sizes = shares.map((s) => s.pairs.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 8, `balanced shares: ${sizes.join(', ')}`);
  });

  it('leaves out empty shares when there are fewer bodies than threads', () => {
    assert.equal(splitByBody(['only'], [{ headline: 'h', body: 0 }], 4).length, 1);
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

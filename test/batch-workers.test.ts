/**
 * `batch --workers N`: the same bytes as `--workers 1`; chunks hold each body, with all its pairs,
 * once; the main thread and the workers share the chunks (scoreOnLanes).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chunkByBody, toBatchInput, type BatchChunk } from '../src/adapters/cli/split-batch.js';
import { scoreOnLanes, type LocalRunner } from '../src/adapters/cli/batch-lanes.js';
import type { PairResult } from '../src/core/classify-pairs.js';
import { StanceError } from '../src/core/errors.js';
import type { ClassifyChunkTask } from '../src/adapters/workers/protocol.js';
import type { WorkerPool } from '../src/adapters/workers/pool.js';
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

  it('aims at the target size without splitting a body', () => {
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
  });
});

/** A result that names its pair, so a test can see where each one went. */
const resultOf = (headline: string): PairResult =>
  ({
    label: 'discuss',
    probabilities: { agree: 0, disagree: 0, discuss: 1, unrelated: 0 },
    headline,
  }) as unknown as PairResult;

/**
 * A stand-in for the pool's two methods scoreOnLanes uses: `run` answers on a later turn of the
 * event loop (as a worker's message would), and records each task's pairs.
 */
function fakePool(
  size: number,
  tasks: string[][],
  fail?: (headlines: string[], index: number) => boolean,
  ms = (_index: number) => 2,
): WorkerPool {
  return {
    size,
    run: (task: ClassifyChunkTask) =>
      new Promise((resolve, reject) => {
        const headlines = task.pairs.map((p) => p.headline);
        const index = tasks.push(headlines) - 1;
        setTimeout(() => {
          if (fail?.(headlines, index)) reject(new StanceError('INPUT_FORMAT', 'bad pair', { row: 2 }));
          else resolve(headlines.map(resultOf));
        }, ms(index));
      }),
  } as unknown as WorkerPool;
}

describe('scoreOnLanes', () => {
  const input = Array.from({ length: 120 }, (_, i) => ({ headline: `h${i}`, body: `b${i % 40}` }));
  const { bodies, pairs } = toBatchInput(input);
  const chunks: BatchChunk[] = chunkByBody(bodies, pairs, 6);
  const local =
    (seen: string[][]): LocalRunner =>
    (task) => {
      const headlines = task.pairs.map((p) => p.headline);
      seen.push(headlines);
      return headlines.map(resultOf);
    };
  const untimed = <T>(_i: number, work: () => T): T => work();

  it('scores every pair exactly once, on the main thread and the workers, each result at its input position', async () => {
    const onMain: string[][] = [];
    const onWorkers: string[][] = [];
    const at = new Map<number, string>();
    await scoreOnLanes(
      chunks,
      { local: local(onMain), clock: untimed, pool: fakePool(2, onWorkers), itemTimeoutMs: 1000 },
      async (positions, results) => {
        positions.forEach((p, k) => {
          assert.equal(at.has(p), false, `position ${p} written twice`);
          at.set(p, (results[k] as unknown as { headline: string }).headline);
        });
      },
      (e) => e,
    );
    assert.equal(at.size, 120);
    for (const [p, h] of at) assert.equal(h, `h${p}`);
    assert.ok(onMain.length > 0, 'the main thread scored chunks');
    assert.ok(onWorkers.length > 0, 'the workers scored chunks');
    assert.equal(onMain.flat().length + onWorkers.flat().length, 120);
  });

  it('starts scoring on the main thread before the workers have started, and lets them join when they are ready', async () => {
    const onWorkers: string[][] = [];
    const order: string[] = [];
    let ready!: (pool: WorkerPool) => void;
    const starting = new Promise<WorkerPool>((resolve) => (ready = resolve));
    // The main thread takes its time, so chunks are left when the pool has started.
    const slowLocal: LocalRunner = (task) => {
      order.push('main');
      const until = performance.now() + 2;
      while (performance.now() < until);
      return task.pairs.map((p) => resultOf(p.headline));
    };
    setTimeout(() => {
      order.push('pool ready');
      ready(fakePool(1, onWorkers));
    }, 10);
    const scored = new Set<number>();
    await scoreOnLanes(
      chunks,
      { local: slowLocal, clock: untimed, pool: { size: 1, starting }, itemTimeoutMs: 1000 },
      async (positions) => positions.forEach((p) => scored.add(p)),
      (e) => e,
    );
    assert.equal(scored.size, 120);
    assert.equal(order[0], 'main', 'the main thread scored before the pool was ready');
    assert.ok(order.includes('pool ready'));
    assert.ok(onWorkers.length > 0, 'the worker joined once ready');
  });

  it('stops the run with the error of a pool that cannot start', async () => {
    let calls = 0;
    // 1 ms a chunk: the main thread cannot finish before the pool's start fails.
    const counting: LocalRunner = (task) => {
      calls++;
      const until = performance.now() + 1;
      while (performance.now() < until);
      return task.pairs.map((p) => resultOf(p.headline));
    };
    const starting = new Promise<WorkerPool>((_resolve, reject) =>
      setTimeout(() => reject(new StanceError('MODEL_INVALID', 'the worker could not load its model')), 1),
    );
    await assert.rejects(
      scoreOnLanes(
        chunks,
        { local: counting, clock: untimed, pool: { size: 1, starting }, itemTimeoutMs: 1000 },
        async () => undefined,
        (e) => e,
      ),
      (e: unknown) => e instanceof StanceError && e.code === 'MODEL_INVALID',
    );
    assert.ok(calls < chunks.length, `the main thread stopped after ${calls} of ${chunks.length} chunks`);
  });

  it('gives a worker several chunks a task while many are left, and fewer as the list empties', async () => {
    const onWorkers: string[][] = [];
    // A main thread that takes its time, so the worker's tasks show the shrinking shares.
    const slowLocal: LocalRunner = (task) => {
      const until = performance.now() + 3;
      while (performance.now() < until);
      return task.pairs.map((p) => resultOf(p.headline));
    };
    await scoreOnLanes(
      chunks,
      { local: slowLocal, clock: untimed, pool: fakePool(1, onWorkers), itemTimeoutMs: 1000 },
      async () => undefined,
      (e) => e,
    );
    const sizes = onWorkers.map((t) => t.length);
    assert.ok((sizes[0] ?? 0) > 6, `first task ${sizes[0]} pairs, more than one chunk`);
    assert.ok((sizes.at(-1) ?? 0) <= 6, `last task ${sizes.at(-1)} pairs, one chunk`);
  });

  it('with no workers scores every chunk on the main thread, in order', async () => {
    const onMain: string[][] = [];
    await scoreOnLanes(
      chunks,
      { local: local(onMain), clock: untimed, pool: undefined, itemTimeoutMs: 1000 },
      async () => undefined,
      (e) => e,
    );
    assert.deepEqual(
      onMain,
      chunks.map((c) => c.pairs.map((p) => p.headline)),
    );
  });

  it("reports a worker task's error with that task's input positions and writes nothing after it", async () => {
    const onWorkers: string[][] = [];
    const written: number[] = [];
    let failedAt: readonly number[] = [];
    await assert.rejects(
      scoreOnLanes(
        chunks,
        {
          local: local([]),
          clock: untimed,
          // Two workers: the first task fails fast, the second succeeds after it.
          pool: fakePool(
            2,
            onWorkers,
            (_h, i) => i === 0,
            (i) => (i === 0 ? 2 : 15),
          ),
          itemTimeoutMs: 1000,
        },
        async (positions) => void written.push(...positions),
        (e, positions) => {
          failedAt = positions;
          return e;
        },
      ),
      (e: unknown) => e instanceof StanceError && e.code === 'INPUT_FORMAT',
    );
    const task = onWorkers[0] ?? [];
    assert.deepEqual(
      failedAt.map((p) => `h${p}`),
      task,
      'the positions are those of the failed task',
    );
    await new Promise((r) => setTimeout(r, 30));
    const late = new Set(onWorkers[1] ?? []);
    assert.ok(late.size > 0, 'the second worker had a task');
    assert.deepEqual(
      written.filter((p) => late.has(`h${p}`)),
      [],
      'a task that ends after the error is not written',
    );
    assert.ok(written.length < 120);
  });

  it("stops every lane at the main thread's error", async () => {
    const onWorkers: string[][] = [];
    let calls = 0;
    const failing: LocalRunner = () => {
      if (++calls === 2)
        throw new StanceError('TIMEOUT', 'the item took longer than the time limit of 1 ms', { row: 1 });
      return [];
    };
    await assert.rejects(
      scoreOnLanes(
        chunks,
        { local: failing, clock: untimed, pool: fakePool(1, onWorkers), itemTimeoutMs: 1000 },
        async () => undefined,
        (e) => e,
      ),
      /time limit/,
    );
    const tasksThen = onWorkers.length;
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(onWorkers.length, tasksThen, 'no worker task starts after the error');
    assert.equal(calls, 2);
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

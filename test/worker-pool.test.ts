/**
 * The shared worker pool (src/adapters/workers): typed tasks on real worker threads with the
 * real (fixture) model: chunks of pairs classified in order exactly as in-process, bodies cached
 * per worker only while their text is unchanged, per-task time limits with stuck-worker
 * replacement, and dropping abandoned work.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toArticle } from '../src/core/article.js';
import { classifyPairs, type Pair } from '../src/core/classify-pairs.js';
import { StanceError } from '../src/core/errors.js';
import { loadChecker } from '../src/adapters/fs/load-checker.js';
import { WorkerPool } from '../src/adapters/workers/pool.js';
import { createTaskRunner } from '../src/adapters/workers/tasks.js';
import { LONG_BODY, SWAPPED_HEADLINE, TYPICAL_BODY, TYPICAL_HEADLINE } from './http-articles.js';
import { SKIP_NO_MODEL, testModelPath } from './http-helpers.js';

const BODIES: Record<string, string> = {
  tram: TYPICAL_BODY,
  long: LONG_BODY,
  short: 'The council said nothing about trams. A spokesperson denied that any vote had taken place.',
};
const HEADLINES = [
  TYPICAL_HEADLINE,
  SWAPPED_HEADLINE,
  'Council denies tram vote took place',
  'Hospital staff welcome new tram',
];

describe('worker pool', { skip: SKIP_NO_MODEL }, () => {
  let pool: WorkerPool;
  before(async () => {
    pool = await WorkerPool.start({ size: 2, queueSize: 16, modelPath: testModelPath() });
  });
  after(async () => {
    await pool?.close();
  });

  it('classifies chunks of pairs on the workers with the same results, in order, as classifyPairs in-process', async () => {
    const keys = Object.keys(BODIES);
    const pairs = Array.from({ length: 30 }, (_, i) => ({
      headline: HEADLINES[i % HEADLINES.length] as string,
      bodyKey: keys[(i * 7) % keys.length] as string,
    }));
    const checker = await loadChecker(testModelPath());
    const expected = [
      ...classifyPairs(
        checker,
        pairs.map((p): Pair => ({
          headline: p.headline,
          body: BODIES[p.bodyKey] as string,
          bodyKey: p.bodyKey,
        })),
      ),
    ];
    const chunks = [pairs.slice(0, 11), pairs.slice(11, 20), pairs.slice(20)];
    const results = await Promise.all(
      chunks.map((c) =>
        pool.run({
          kind: 'classifyChunk',
          pairs: c,
          bodies: Object.fromEntries(c.map((p) => [p.bodyKey, BODIES[p.bodyKey] as string])),
        }),
      ),
    );
    assert.deepEqual(results.flat(), expected);
    assert.deepEqual(
      createTaskRunner(checker)({ kind: 'classifyChunk', pairs, bodies: BODIES }),
      expected,
      'in-process runner agrees',
    );
  });

  it('gives each body its own verdict when a later chunk reuses a key with other text', async () => {
    // Sequential chunks land on the same idle worker, which has the first text cached under '7'.
    const pairs = [{ headline: 'Council denies tram vote took place', bodyKey: '7' }];
    const first = await pool.run({ kind: 'classifyChunk', pairs, bodies: { '7': BODIES.tram as string } });
    const second = await pool.run({ kind: 'classifyChunk', pairs, bodies: { '7': BODIES.short as string } });
    const checker = await loadChecker(testModelPath());
    const [direct] = [
      ...classifyPairs(checker, [{ headline: pairs[0]?.headline as string, body: BODIES.short as string }]),
    ];
    assert.deepEqual(second, [direct]);
    assert.notDeepEqual(first[0]?.probabilities, second[0]?.probabilities);
  });

  it('rejects a chunk with a bad pair with that error and the pair position as its row', async () => {
    const pairs = [
      { headline: TYPICAL_HEADLINE, bodyKey: 'tram' },
      { headline: TYPICAL_HEADLINE, bodyKey: 'empty' },
    ];
    await assert.rejects(
      pool.run({ kind: 'classifyChunk', pairs, bodies: { tram: TYPICAL_BODY, empty: ' \n ' } }),
      (e: unknown) =>
        e instanceof StanceError &&
        e.code === 'INPUT_EMPTY' &&
        e.context.row === 2 &&
        e.context.field === 'body',
    );
  });

  it('lets go of a long-lived abort signal once its tasks leave the queue (no listener leak over a long batch)', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const signal = new AbortController().signal;
      const article = toArticle({ headline: TYPICAL_HEADLINE, body: BODIES.short as string });
      for (let wave = 0; wave < 15; wave++) {
        // Three at a time on two workers: one of each wave waits in the queue with the signal.
        await Promise.all(Array.from({ length: 3 }, () => pool.run({ kind: 'check', article }, { signal })));
      }
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(
        warnings.filter((w) => w === 'MaxListenersExceededWarning'),
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('checks an article and returns the verdict as JSON text', async () => {
    const article = toArticle({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY });
    const json = await pool.run({ kind: 'check', article });
    const checker = await loadChecker(testModelPath());
    assert.deepEqual(JSON.parse(json), JSON.parse(JSON.stringify(checker.check(article))));
  });
});

describe('worker pool limits', { skip: SKIP_NO_MODEL }, () => {
  const huge = toArticle({
    headline: TYPICAL_HEADLINE,
    body: Array.from({ length: 20 }, () => LONG_BODY).join('\n\n'),
  });
  const small = toArticle({ headline: TYPICAL_HEADLINE, body: TYPICAL_BODY });
  // One single-worker pool for these tests (starting workers is the slow part); the timeout test,
  // which replaces the worker, runs last.
  let pool: WorkerPool;
  before(async () => {
    pool = await WorkerPool.start({ size: 1, queueSize: 2, modelPath: testModelPath() });
  });
  after(async () => {
    await pool?.close();
  });

  it('counts a "start" limit from when a worker takes the task, not from the queue wait', async () => {
    let blockerDone = false;
    const blocker = pool.run({ kind: 'check', article: huge }).finally(() => {
      blockerDone = true;
    });
    const gone = new AbortController();
    const fromStart = pool.run(
      { kind: 'check', article: small },
      { timeoutMs: 20, timeoutFrom: 'start', signal: gone.signal },
    );
    const fromSubmit = pool.run({ kind: 'check', article: small }, { timeoutMs: 20 });
    await assert.rejects(
      fromSubmit,
      (e: unknown) => e instanceof StanceError && e.code === 'TIMEOUT',
      'the default counts the queue wait',
    );
    assert.equal(blockerDone, false, 'the huge check is still running');
    assert.equal(pool.stats().queued, 1, 'the "start" task still waits, its limit not yet running');
    gone.abort();
    await assert.rejects(fromStart, (e: unknown) => e instanceof StanceError && e.code === 'TIMEOUT');
    assert.ok((JSON.parse(await blocker) as { label: string }).label);
    assert.equal(pool.stats().restarts, 0, 'no worker was stopped');
  });

  it('drops queued tasks whose signal aborts and refuses work beyond the queue bound', async () => {
    const busy = pool.run({ kind: 'check', article: huge });
    const gone = new AbortController();
    const queued = [
      pool.run({ kind: 'check', article: small }, { signal: gone.signal }),
      pool.run({ kind: 'check', article: small }, { signal: gone.signal }),
    ];
    await assert.rejects(
      pool.run({ kind: 'check', article: small }),
      (e: unknown) => e instanceof StanceError && e.code === 'OVERLOADED',
    );
    assert.equal(pool.stats().queued, 2);
    gone.abort();
    for (const q of queued)
      await assert.rejects(q, (e: unknown) => e instanceof StanceError && e.code === 'TIMEOUT');
    assert.equal(pool.stats().queued, 0);
    assert.equal(pool.stats().busy, 1, 'the running task goes on');
    assert.ok((JSON.parse(await busy) as { label: string }).label);
  });

  it('stops the one pair of a chunk that runs over the item limit, naming its row in the chunk', async () => {
    const restarts = pool.stats().restarts;
    // Several times the limit even on a fast machine (a 20-copy body took under 250 ms here).
    const hugeBody = Array.from({ length: 100 }, () => LONG_BODY).join('\n\n');
    await assert.rejects(
      pool.run(
        {
          kind: 'classifyChunk',
          pairs: [
            { headline: 'Council votes', bodyKey: 'short' },
            { headline: TYPICAL_HEADLINE, bodyKey: 'huge' },
          ],
          bodies: { short: 'The council voted on Tuesday.', huge: hugeBody },
          keepBodies: false,
        },
        { itemTimeoutMs: 250 },
      ),
      (e: unknown) => e instanceof StanceError && e.code === 'TIMEOUT' && e.context.row === 2,
    );
    // The worker is replaced once the stuck item is seen (it may also report the overrun itself).
    const json = await pool.run({ kind: 'check', article: small });
    assert.ok((JSON.parse(json) as { label: string }).label);
    assert.ok(pool.stats().restarts <= restarts + 1);
  });

  it('times out a task with its own limit, replaces the stuck worker and runs the next task', async () => {
    const timeouts = pool.stats().timeouts;
    await assert.rejects(
      pool.run({ kind: 'check', article: huge }, { timeoutMs: 5, timeoutFrom: 'start' }),
      (e: unknown) => e instanceof StanceError && e.code === 'TIMEOUT',
    );
    assert.equal(pool.stats().timeouts, timeouts + 1);
    const json = await pool.run({ kind: 'check', article: small });
    assert.ok((JSON.parse(json) as { label: string }).label);
    assert.ok(pool.stats().restarts >= 1, 'the stuck worker was replaced');
  });
});

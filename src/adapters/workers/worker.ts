/**
 * A worker thread of the {@link WorkerPool}: loads its own model, then runs one task at a time.
 * Tasks are synchronous, so a long one occupies only this thread; the pool terminates it on timeout.
 * Under a per-item limit the worker publishes which item it is on and since when (the clock in
 * {@link WorkerInit}), so the pool can stop one stuck item, and times each item itself, so an item
 * that overruns the limit is reported even when it finishes between two looks of the pool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Checker } from '../../core/checker.js';
import type { Vocabulary } from '../../core/features/vocabulary.js';
import { StanceError, toStanceError } from '../../core/errors.js';
import type { Article } from '../../core/verdict.js';
import type { TaskMessage, WireError, WorkerInit, WorkerMessage } from './protocol.js';
import { createTaskRunner, noExtractor, timedClock, type ItemClock } from './tasks.js';

function wire(e: unknown): WireError {
  return toStanceError(e).toJSON();
}

const IS_TS = import.meta.url.endsWith('.ts');

/** The HTML extractor, imported when first needed: the HTML parser is only loaded for HTML input. */
async function loadExtractor(): Promise<((html: string) => Article) | undefined> {
  try {
    const url = new URL(IS_TS ? '../html/extract.ts' : '../html/extract.js', import.meta.url).href;
    return ((await import(url)) as { extractArticle: (html: string) => Article }).extractArticle;
  } catch {
    return undefined; // html tasks then fail with a clear USAGE error
  }
}

/**
 * Publishes each item on the shared clock (for the pool's watch) and refuses one that took longer
 * than `limitMs` when it ends (timedClock: an overrun wins over the item's own outcome).
 */
function itemClock(init: WorkerInit, limitMs: number): ItemClock {
  const clock = new Int32Array(init.clock);
  const timed = timedClock(limitMs);
  return (index, work) => {
    Atomics.store(clock, 1, index);
    Atomics.store(clock, 0, Date.now() - init.base + 1);
    try {
      return timed(index, work);
    } finally {
      Atomics.store(clock, 0, 0);
    }
  };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new StanceError('INTERNAL', 'worker.ts must run as a worker thread');
  const init = workerData as WorkerInit;
  let loaded: { checker: Checker; vocab?: Vocabulary };
  let extractArticle: ((html: string) => Article) | undefined;
  try {
    const mod = (await import(init.loaderUrl)) as {
      loadChecker: (path?: string) => Promise<Checker>;
      loadCheckerWithVocab?: (path?: string) => Promise<{ checker: Checker; vocab: Vocabulary }>;
    };
    // One model load: the vocabulary (for audit chunks) comes with the checker when the loader offers it.
    const load = mod.loadCheckerWithVocab
      ? mod.loadCheckerWithVocab(init.modelPath)
      : mod.loadChecker(init.modelPath).then((checker) => ({ checker }));
    [loaded, extractArticle] = await Promise.all([load, init.preloadHtml ? loadExtractor() : undefined]);
  } catch (e) {
    port.postMessage({ type: 'fatal', error: wire(e) } satisfies WorkerMessage);
    return;
  }
  let extractorLoaded = init.preloadHtml;
  const { checker, vocab } = loaded;
  const run = createTaskRunner(checker, {
    extractArticle: (html) => {
      if (!extractArticle) throw noExtractor();
      return extractArticle(html);
    },
    vocab,
  });
  // One task at a time (the pool sends the next only after this one's reply); an HTML task may
  // first wait for the extractor to load.
  port.on('message', (msg: TaskMessage) => {
    void (async () => {
      if (msg.task.kind === 'html' && !extractorLoaded) {
        extractorLoaded = true;
        extractArticle = await loadExtractor();
      }
      let reply: WorkerMessage;
      try {
        const clock = msg.itemLimitMs !== undefined ? itemClock(init, msg.itemLimitMs) : undefined;
        reply = { type: 'result', id: msg.id, result: run(msg.task, clock) };
      } catch (e) {
        reply = { type: 'error', id: msg.id, error: wire(e) };
      }
      port.postMessage(reply);
    })();
  });
  port.postMessage({ type: 'ready', card: checker.card } satisfies WorkerMessage);
}

await main();

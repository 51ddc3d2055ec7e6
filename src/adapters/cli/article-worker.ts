/**
 * The worker thread behind {@link ArticleRunner}: loads the model, then checks one article or one
 * batch at a time, publishing which article it is on and since when (see article-runner.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Checker } from '../../core/checker.js';
import { classifyPairs, type PairResult } from '../../core/classify-pairs.js';
import { StanceError, toStanceError } from '../../core/errors.js';
import type { Article } from '../../core/verdict.js';
import { loadChecker } from '../fs/load-checker.js';
import {
  RESULT_CHUNK,
  type BatchPair,
  type CheckJob,
  type RunnerInit,
  type RunnerReply,
  type RunnerRequest,
  type WireError,
} from './article-runner.js';

const init = workerData as RunnerInit;
const clock = new Int32Array(init.clock);

function wire(e: unknown): WireError {
  return toStanceError(e).toJSON();
}

/** Thrown when an article finished but took longer than the limit. */
class Overran {
  constructor(readonly index: number) {}
}

/** Runs `work` as article `index`: published on the clock, and timed. */
function timed<T>(index: number, work: () => T): T {
  Atomics.store(clock, 1, index);
  Atomics.store(clock, 0, Date.now() - init.base + 1);
  const t0 = performance.now();
  let result: T;
  try {
    result = work();
  } catch (e) {
    Atomics.store(clock, 0, 0);
    throw performance.now() - t0 > init.timeoutMs ? new Overran(index) : e;
  }
  Atomics.store(clock, 0, 0);
  // Overran is a marker the caller catches, not an error to report.
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (performance.now() - t0 > init.timeoutMs) throw new Overran(index);
  return result;
}

/** The HTML extractor, imported lazily: the HTML parser is only loaded for HTML input. */
async function loadExtractor(file: string): Promise<(html: string) => Article> {
  try {
    return (await import('../html/extract.js')).extractArticle;
  } catch (e) {
    throw new StanceError(
      'USAGE',
      `cannot read HTML input ${file}: the HTML extractor is not available in this build; expected a .txt or .json article`,
      { file },
      { cause: e },
    );
  }
}

async function check(checker: Checker, job: CheckJob): Promise<RunnerReply> {
  const extractArticle = job.kind === 'html' ? await loadExtractor(job.file) : undefined;
  // One limit covers extraction and the check together.
  const verdict = timed(0, () => {
    let article: Article;
    if (job.kind === 'html' && extractArticle) {
      article = extractArticle(job.html);
      if (job.subtitle !== undefined) article = { ...article, subtitle: job.subtitle };
    } else if (job.kind === 'article') article = job.article;
    else throw new StanceError('INTERNAL', 'internal error: no HTML extractor');
    return checker.check(article, { evidence: job.evidence });
  });
  return { type: 'verdict', verdict };
}

function batch(
  checker: Checker,
  port: NonNullable<typeof parentPort>,
  bodies: string[],
  pairs: BatchPair[],
): void {
  const it = classifyPairs(
    checker,
    pairs.map((p) => ({ headline: p.headline, body: bodies[p.body] ?? '', bodyKey: String(p.body) })),
  );
  let chunk: PairResult[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const r = timed(i, () => it.next());
    if (r.done) break;
    chunk.push(r.value);
    if (chunk.length === RESULT_CHUNK) {
      port.postMessage({ type: 'results', results: chunk } satisfies RunnerReply);
      chunk = [];
    }
  }
  if (chunk.length > 0) port.postMessage({ type: 'results', results: chunk } satisfies RunnerReply);
  port.postMessage({ type: 'done' } satisfies RunnerReply);
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new StanceError('INTERNAL', 'article-worker must run as a worker thread');
  let checker: Checker;
  try {
    checker = await loadChecker(init.modelPath);
  } catch (e) {
    port.postMessage({ type: 'fatal', error: wire(e) } satisfies RunnerReply);
    return;
  }
  port.on('message', (req: RunnerRequest) => {
    void (async () => {
      try {
        if (req.type === 'check') port.postMessage(await check(checker, req.job));
        else batch(checker, port, req.bodies, req.pairs);
      } catch (e) {
        port.postMessage(
          (e instanceof Overran
            ? { type: 'timeout', index: e.index }
            : { type: 'error', error: wire(e) }) satisfies RunnerReply,
        );
      }
    })();
  });
  port.postMessage({ type: 'ready' } satisfies RunnerReply);
}

await main();

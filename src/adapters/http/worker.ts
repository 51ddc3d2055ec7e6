/**
 * A worker thread: loads its own model, then checks one job at a time. Classification is
 * synchronous, so a long article occupies only this thread; the pool can terminate it on timeout.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Checker } from '../../core/checker.js';
import { parseArticleJson } from '../../core/article.js';
import { StanceError, toStanceError } from '../../core/errors.js';
import { extractArticle } from '../html/extract.js';
import type { CheckResult, Job, JobMessage, WireError, WorkerInit, WorkerMessage } from './protocol.js';

function wire(e: unknown): WireError {
  return toStanceError(e).toJSON();
}

function runJob(checker: Checker, job: Job): CheckResult {
  // Same normalisation as `check --json` (parseArticleJson), so both give the same verdict.
  const article = job.kind === 'html' ? extractArticle(job.html) : parseArticleJson(job.article);
  const verdict = checker.check(article);
  if (!job.sentences) return verdict;
  return { ...verdict, sentences: [...checker.prepareBody(article.body).sentences] };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new StanceError('INTERNAL', 'worker.ts must run as a worker thread');
  const init = workerData as WorkerInit;
  let checker: Checker;
  try {
    const mod = (await import(init.loaderUrl)) as { loadChecker: (path?: string) => Promise<Checker> };
    checker = await mod.loadChecker(init.modelPath);
  } catch (e) {
    port.postMessage({ type: 'fatal', error: wire(e) } satisfies WorkerMessage);
    return;
  }
  port.on('message', (msg: JobMessage) => {
    let reply: WorkerMessage;
    try {
      reply = { type: 'result', id: msg.id, result: runJob(checker, msg.job) };
    } catch (e) {
      reply = { type: 'error', id: msg.id, error: wire(e) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ type: 'ready', card: checker.card } satisfies WorkerMessage);
}

await main();

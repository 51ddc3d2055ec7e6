/**
 * A worker thread: loads its own model, then checks one job at a time. Classification is
 * synchronous, so a long article occupies only this thread; the pool can terminate it on timeout.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Checker } from '../../core/checker.js';
import { parseArticleJson } from '../../core/article.js';
import { StanceError, toStanceError } from '../../core/errors.js';
import { extractArticle } from '../html/extract.js';
import type { CheckResult, CheckResultJson, Job, JobMessage, WireError, WorkerInit, WorkerMessage } from './protocol.js';

function wire(e: unknown): WireError {
  return toStanceError(e).toJSON();
}

function runJob(checker: Checker, job: Job): CheckResult {
  // Same normalisation as `check --json` (parseArticleJson), so both give the same verdict.
  const article = job.kind === 'html' ? extractArticle(job.html) : parseArticleJson(job.article);
  const verdict = checker.check(article, { evidence: job.evidence });
  if (!job.sentences) return verdict;
  const sentences = [...checker.prepareBody(article.body).sentences];
  return { ...verdict, sentences, paragraphs: paragraphsOf(article.body, sentences) };
}

/** The paragraph (blank-line separated block of `body`) each sentence falls in, for display. */
function paragraphsOf(body: string, sentences: readonly string[]): number[] {
  const key = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  const paras = body.split(/\n\s*\n/).map(key);
  const out: number[] = [];
  let p = 0;
  let offset = 0;
  for (const s of sentences) {
    const k = key(s).slice(0, 40);
    for (let q = p; q < paras.length && q <= p + 3; q++) {
      const at = (paras[q] ?? '').indexOf(k, q === p ? offset : 0);
      if (at >= 0) {
        p = q;
        offset = at + k.length;
        break;
      }
    }
    out.push(p);
  }
  return out;
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
      reply = { type: 'result', id: msg.id, json: JSON.stringify(runJob(checker, msg.job)) as CheckResultJson };
    } catch (e) {
      reply = { type: 'error', id: msg.id, error: wire(e) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ type: 'ready', card: checker.card } satisfies WorkerMessage);
}

await main();

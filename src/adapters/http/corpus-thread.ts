/**
 * The corpus thread's entry: opens the store and the model once (`openCorpus`), says it is ready
 * (or why it could not open), then runs the corpus operations the server sends it, one at a time,
 * answering each with its value or its StanceError. Claims and audits classify synchronously;
 * here they never hold up the server's event loop. An audit sent with `chunks` scores its pages on
 * the server's worker pool, through the server (`poolRun` / `poolResult` messages); a chunk the
 * pool cannot take (busy past its queue, shutting down) is scored here instead.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toStanceError } from '../../core/errors.js';
import { auditArticle } from '../corpus/audit-score.js';
import { fromWire } from '../workers/spawn.js';
import type { AuditChunkTask } from '../workers/protocol.js';
import type { AuditRecord } from '../../core/corpus/store.js';
import {
  audit,
  auditFindings,
  claim,
  corpusStats,
  exportRecord,
  ingest,
  openCorpus,
  reindex,
  type ArticleInput,
  type Corpus,
  type Rejected,
} from '../corpus/corpus.js';
import type {
  CorpusCall,
  CorpusInit,
  CorpusReply,
  IngestResult,
  PoolReply,
  RemoveResult,
} from './corpus-service.js';

async function* items(list: readonly (ArticleInput | Rejected)[]): AsyncGenerator<ArticleInput | Rejected> {
  yield* list;
}

/** Audit chunks sent to the server's pool, waiting for its answer. */
const poolWaiting = new Map<number, { resolve(v: AuditRecord[]): void; reject(e: unknown): void }>();
let nextPoolRun = 1;

/** The server's pool as `audit()` sees it, from this thread: `chunks` chunks per page. */
function serverPool(
  c: Corpus,
  chunks: number,
): { size: number; run(task: AuditChunkTask): Promise<AuditRecord[]> } {
  const here = (task: AuditChunkTask): AuditRecord[] =>
    task.articles.map((a) => auditArticle(c.checker, c.model.vocab, a, task.thresholds));
  return {
    size: chunks,
    run: (task) =>
      new Promise<AuditRecord[]>((resolve, reject) => {
        const id = nextPoolRun++;
        poolWaiting.set(id, { resolve, reject });
        parentPort?.postMessage({ poolRun: id, task } satisfies CorpusReply);
      }).catch(() => here(task)),
  };
}

async function run(c: Corpus, call: CorpusCall): Promise<unknown> {
  switch (call.op) {
    case 'claim':
      return claim(c, call.text, call.top === undefined ? {} : { top: call.top });
    case 'findings':
      return auditFindings(c);
    case 'audit': {
      let scored = 0;
      const report = (refreshed: number): void =>
        parentPort?.postMessage({ auditProgress: { scored, refreshed } } satisfies CorpusReply);
      return audit(c, {
        ...(call.chunks === undefined ? {} : { pool: serverPool(c, call.chunks) }),
        ...(call.redo === true ? { redo: true } : {}),
        onProgress: (n) => {
          scored = n;
          report(0);
        },
        onRefresh: report,
      });
    }
    case 'stats':
      return corpusStats(c);
    case 'exportPage': {
      const page = await c.store.page(call.after, call.limit);
      const last = page.length > 0 ? (page[page.length - 1]?.key ?? null) : null;
      return { lines: page.map((a) => JSON.stringify(exportRecord(a))), last };
    }
    case 'remove': {
      const removed: RemoveResult['removed'] = [];
      for (const id of call.ids) removed.push({ id, ...(await c.store.remove(id)) });
      return { removed } satisfies RemoveResult;
    }
    case 'ingest': {
      const results: IngestResult['results'] = [];
      const summary = await ingest(c, items(call.items), {
        onBatch: (outcomes) => {
          for (const o of outcomes) results.push({ id: o.id, status: o.status });
        },
      });
      return { summary, results } satisfies IngestResult;
    }
    case 'reindex':
      return { reindexed: await reindex(c), analysisVersion: c.analysisVersion };
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const init = workerData as CorpusInit;
  let corpus: Corpus;
  try {
    corpus = await openCorpus(init.db, init.model);
  } catch (e) {
    const err = toStanceError(e);
    port.postMessage({ ready: false, error: err.toJSON() } satisfies CorpusReply);
    return;
  }
  port.postMessage({ ready: true, location: corpus.store.location, backend: corpus.store.backend });
  // One operation at a time, in arrival order.
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (msg: { id: number; call: CorpusCall } | { close: true } | PoolReply) => {
    if ('poolResult' in msg) {
      // Answers to this thread's pool chunks arrive while an audit runs: not queued behind it.
      const w = poolWaiting.get(msg.poolResult);
      poolWaiting.delete(msg.poolResult);
      if (msg.ok) w?.resolve(msg.value);
      else w?.reject(fromWire(msg.error));
      return;
    }
    if ('close' in msg) {
      chain = chain.then(async () => {
        await corpus.close().catch(() => undefined);
        port.close();
      });
      return;
    }
    chain = chain.then(async () => {
      try {
        const value = await run(corpus, msg.call);
        port.postMessage({ id: msg.id, ok: true, value } satisfies CorpusReply);
      } catch (e) {
        port.postMessage({ id: msg.id, ok: false, error: toStanceError(e).toJSON() } satisfies CorpusReply);
      }
    });
  });
}

void main();

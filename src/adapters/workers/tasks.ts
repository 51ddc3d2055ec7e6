/**
 * What each task kind does, given a checker. Runs inside a worker thread, and in-process too
 * (`createTaskRunner(checker)(task)`), so one worker and no worker give the same results.
 */
import type { Checker, PreparedBody } from '../../core/checker.js';
import { toStanceError, StanceError } from '../../core/errors.js';
import {
  classifyPairs,
  type Pair,
  type PairResult,
  type PreparedBodyCache,
} from '../../core/classify-pairs.js';
import type { Vocabulary } from '../../core/features/vocabulary.js';
import type { Article } from '../../core/verdict.js';
import type { AuditRecord } from '../../core/corpus/store.js';
import { auditArticle } from '../corpus/audit-score.js';
import type {
  AuditChunkTask,
  CheckResult,
  CheckResultJson,
  ClassifyChunkTask,
  ResultOf,
  Task,
} from './protocol.js';

/**
 * Runs item `index` of a task (the article of a check, or one pair of a chunk) and returns what
 * `work` returns. A worker passes one that publishes the item on its clock and throws TIMEOUT when
 * the item took longer than its limit; in-process runs pass none.
 */
export type ItemClock = <T>(index: number, work: () => T) => T;

const untimed: ItemClock = (_index, work) => work();

/** The TIMEOUT of an item that ran over; the caller names the item (a chunk adds its `row`). */
function overran(limitMs: number): StanceError {
  return new StanceError('TIMEOUT', `the item took longer than the time limit of ${limitMs} ms`);
}

/**
 * An {@link ItemClock} that times each item and refuses one that took longer than `limitMs` once it
 * ends; an overrun wins over the item's own error. On the main thread that is all there is
 * (nothing can stop the thread that runs it); a worker also publishes its item for the pool, which
 * stops a worker that runs over (worker.ts).
 */
export function timedClock(limitMs: number): ItemClock {
  return (_index, work) => {
    const t0 = performance.now();
    let result: ReturnType<typeof work>;
    try {
      result = work();
    } catch (e) {
      throw performance.now() - t0 > limitMs ? overran(limitMs) : e;
    }
    if (performance.now() - t0 > limitMs) throw overran(limitMs);
    return result;
  };
}

/** The error for an HTML task when the extractor cannot be loaded. */
export function noExtractor(): StanceError {
  return new StanceError(
    'USAGE',
    'cannot read HTML input: the HTML extractor is not available in this build; expected a .txt or .json article',
  );
}

/** What a runner needs besides the checker. */
export interface TaskRunnerOptions {
  /** HTML → article, for `html` tasks (the worker loads html/extract.ts when it needs it). */
  extractArticle?: (html: string) => Article;
  /** The checker's model vocabulary, for `auditChunk` tasks (stored analyses are restored with it). */
  vocab?: Vocabulary;
}

/** Prepared bodies a runner keeps between chunks. */
const MAX_CACHED_BODIES = 2048;

/** The paragraph (blank-line separated block of `body`) each sentence falls in, for display. */
export function paragraphsOf(body: string, sentences: readonly string[]): number[] {
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

/** Returns a function that runs any {@link Task} with `checker` (synchronously). */
export function createTaskRunner(
  checker: Checker,
  options: TaskRunnerOptions = {},
): <T extends Task>(task: T, clock?: ItemClock) => ResultOf<T> {
  // Prepared bodies kept across chunks (bounded: cleared when full).
  const cached = new Map<string, PreparedBody>();
  const bodies: PreparedBodyCache = {
    get: (key) => cached.get(key),
    set: (key, prepared) => {
      if (cached.size >= MAX_CACHED_BODIES) cached.clear();
      return cached.set(key, prepared);
    },
  };

  function check(task: Extract<Task, { kind: 'check' | 'html' }>, clock: ItemClock): CheckResultJson {
    // One item: extraction (for a page) and the check count against one limit.
    const { article, verdict } = clock(0, () => {
      // A 'check' article was validated and normalised once at the edge (toArticle).
      const article = task.kind === 'html' ? fromHtml(task.html, task.subtitle) : task.article;
      return { article, verdict: checker.check(article, { evidence: task.evidence }) };
    });
    if (!task.sentences) return JSON.stringify(verdict) as CheckResultJson;
    const sentences = [...checker.prepareBody(article.body).sentences];
    const result: CheckResult = { ...verdict, sentences, paragraphs: paragraphsOf(article.body, sentences) };
    return JSON.stringify(result) as CheckResultJson;
  }

  function fromHtml(html: string, subtitle: string | undefined): Article {
    if (!options.extractArticle) throw noExtractor();
    const article = options.extractArticle(html);
    return subtitle !== undefined ? { ...article, subtitle } : article;
  }

  function classifyChunk(task: ClassifyChunkTask, clock: ItemClock): PairResult[] {
    const pairs: Pair[] = task.pairs.map((p, i) => {
      const body = task.bodies[p.bodyKey];
      if (body === undefined)
        throw new StanceError(
          'USAGE',
          `pair ${i + 1} names body "${p.bodyKey}", which the chunk does not carry`,
          { row: i + 1 },
        );
      // Keyed by the text itself, so a key reused for another text never gets a stale body.
      return { headline: p.headline, body };
    });
    const out: PairResult[] = [];
    const it = classifyPairs(checker, pairs, {
      cache: task.keepBodies === false ? new Map<string, PreparedBody>() : bodies,
    });
    try {
      for (let i = 0; i < pairs.length; i++) {
        const r = clock(i, () => it.next());
        if (r.done) break;
        out.push(r.value);
      }
    } catch (e) {
      const err = toStanceError(e);
      throw new StanceError(err.code, err.message, { ...err.context, row: out.length + 1 }, { cause: e });
    }
    return out;
  }

  function auditChunk(task: AuditChunkTask, clock: ItemClock): AuditRecord[] {
    const vocab = options.vocab;
    if (!vocab)
      throw new StanceError(
        'INTERNAL',
        'cannot audit here: this task runner has no model vocabulary (its loader has no loadCheckerWithVocab)',
      );
    // An article's error names it (its id), so it goes back as it is.
    return task.articles.map((a, i) => clock(i, () => auditArticle(checker, vocab, a, task.thresholds)));
  }

  return <T extends Task>(task: T, clock: ItemClock = untimed): ResultOf<T> => {
    switch (task.kind) {
      case 'check':
      case 'html':
        return check(task, clock) as ResultOf<T>;
      case 'classifyChunk':
        return classifyChunk(task, clock) as ResultOf<T>;
      case 'auditChunk':
        return auditChunk(task, clock) as ResultOf<T>;
      default:
        throw new StanceError(
          'INTERNAL',
          `unknown task kind ${JSON.stringify((task as { kind: unknown }).kind)}`,
        );
    }
  };
}

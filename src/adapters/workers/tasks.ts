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
import { extractArticle } from '../html/extract.js';
import type { CheckResult, CheckResultJson, ClassifyChunkTask, ResultOf, Task } from './protocol.js';

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
export function createTaskRunner(checker: Checker): <T extends Task>(task: T) => ResultOf<T> {
  // Prepared bodies kept across chunks (bounded: cleared when full).
  const cached = new Map<string, PreparedBody>();
  const bodies: PreparedBodyCache = {
    get: (key) => cached.get(key),
    set: (key, prepared) => {
      if (cached.size >= MAX_CACHED_BODIES) cached.clear();
      return cached.set(key, prepared);
    },
  };

  function check(task: Extract<Task, { kind: 'check' | 'html' }>): CheckResultJson {
    // A 'check' article was validated and normalised once at the edge (toArticle).
    const article = task.kind === 'html' ? extractArticle(task.html) : task.article;
    const verdict = checker.check(article, { evidence: task.evidence });
    if (!task.sentences) return JSON.stringify(verdict) as CheckResultJson;
    const sentences = [...checker.prepareBody(article.body).sentences];
    const result: CheckResult = { ...verdict, sentences, paragraphs: paragraphsOf(article.body, sentences) };
    return JSON.stringify(result) as CheckResultJson;
  }

  function classifyChunk(task: ClassifyChunkTask): PairResult[] {
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
    try {
      for (const r of classifyPairs(checker, pairs, { cache: bodies })) out.push(r);
    } catch (e) {
      const err = toStanceError(e);
      throw new StanceError(err.code, err.message, { ...err.context, row: out.length + 1 }, { cause: e });
    }
    return out;
  }

  return <T extends Task>(task: T): ResultOf<T> => {
    switch (task.kind) {
      case 'check':
      case 'html':
        return check(task) as ResultOf<T>;
      case 'classifyChunk':
        return classifyChunk(task) as ResultOf<T>;
      default:
        throw new StanceError(
          'INTERNAL',
          `unknown task kind ${JSON.stringify((task as { kind: unknown }).kind)}`,
        );
    }
  };
}

/**
 * Worker of test/fuzz.test.ts: runs each input through the real pipeline (parseArticle or
 * extractArticle, then the checker with the tiny fixture model) and reports one outcome per input,
 * so the test can tell which input hangs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModel } from '../../src/adapters/fs/model-file.js';
import { extractArticle } from '../../src/adapters/html/extract.js';
import { parseArticle } from '../../src/core/article.js';
import { createChecker } from '../../src/core/create-checker.js';
import { isStanceError } from '../../src/core/errors.js';
import { LABELS } from '../../src/core/labels.js';

export interface FuzzCase {
  /** 'text': the input format (headline line, body); 'pair': headline + body; 'html': a page. */
  kind: 'text' | 'pair' | 'html';
  input: string;
  headline?: string;
}

export interface FuzzOutcome {
  index: number;
  /** 'verdict' (finite probabilities summing to 1), 'stance-error', or 'bad' with the detail. */
  outcome: 'verdict' | 'stance-error' | 'bad';
  detail: string;
}

const { cases, model } = workerData as { cases: FuzzCase[]; model: string };
const checker = createChecker(await loadModel(model));

function run(c: FuzzCase): Omit<FuzzOutcome, 'index'> {
  try {
    const article =
      c.kind === 'html'
        ? extractArticle(c.input)
        : c.kind === 'text'
          ? parseArticle(c.input)
          : { headline: c.headline ?? '', body: c.input };
    const v = checker.check(article);
    const ps = LABELS.map((l) => v.probabilities[l]);
    const sum = ps.reduce((a, b) => a + b, 0);
    if (!ps.every((p) => Number.isFinite(p) && p >= 0 && p <= 1) || Math.abs(sum - 1) > 1e-6) {
      return { outcome: 'bad', detail: `probabilities ${JSON.stringify(ps)}` };
    }
    if (!LABELS.includes(v.label)) return { outcome: 'bad', detail: `label ${String(v.label)}` };
    return { outcome: 'verdict', detail: v.label };
  } catch (e) {
    if (isStanceError(e)) return { outcome: 'stance-error', detail: `${e.code}: ${e.message.slice(0, 200)}` };
    return {
      outcome: 'bad',
      detail: `${(e as Error)?.name}: ${String((e as Error)?.message ?? e).slice(0, 200)}`,
    };
  }
}

cases.forEach((c, index) => parentPort?.postMessage({ index, ...run(c) } satisfies FuzzOutcome));

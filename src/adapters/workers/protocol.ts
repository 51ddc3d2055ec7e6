/**
 * The tasks a {@link WorkerPool} runs and the messages that cross the thread boundary. Adding a
 * task kind: add it to {@link Task} and {@link TaskResults}, and its handler in tasks.ts.
 */
import type { ErrorCode, ErrorContext } from '../../core/errors.js';
import type { PairResult } from '../../core/classify-pairs.js';
import type { ModelCard } from '../../core/model/card.js';
import type { Article, Verdict } from '../../core/verdict.js';
import type { AuditThresholds } from '../../core/corpus/rank.js';
import type { AuditRecord } from '../../core/corpus/store.js';
import type { AuditArticle } from '../corpus/audit-score.js';

/** Check one article (already validated and normalised by `toArticle`). */
export interface CheckTask {
  kind: 'check';
  article: Article;
  /** Add the body's sentences and their paragraphs to the result (the web page shows them). */
  sentences?: boolean;
  /** Evidence sentences per verdict (the checker's default when absent). */
  evidence?: number;
}

/** Extract an article from a page's HTML, then check it. */
export interface HtmlTask {
  kind: 'html';
  html: string;
  /** A subtitle to check as well (the page's own is not extracted). */
  subtitle?: string;
  sentences?: boolean;
  /** Evidence sentences per verdict (the checker's default when absent). */
  evidence?: number;
}

/**
 * Classify a chunk of headline/body pairs. `bodies` holds the text of every body the chunk names
 * (by key); a worker prepares each body once and keeps it for later chunks while the text under
 * that key is unchanged, so the caller may send a body again cheaply but never gets a stale one.
 */
export interface ClassifyChunkTask {
  kind: 'classifyChunk';
  pairs: readonly { headline: string; bodyKey: string }[];
  bodies: Readonly<Record<string, string>>;
  /**
   * Keep the chunk's prepared bodies for later chunks (default true). `batch` sends each body in
   * one chunk only and passes false, so a worker holds only the bodies of the chunk it is on.
   */
  keepBodies?: boolean;
}

/**
 * Score a chunk of stored articles for the corpus audit, each headline against its own body
 * restored from the stored analysis (compressed bytes, as the store keeps them). The worker needs
 * the model's vocabulary for this (see {@link WorkerInit.loaderUrl}).
 */
export interface AuditChunkTask {
  kind: 'auditChunk';
  articles: readonly AuditArticle[];
  thresholds: AuditThresholds;
}

/** Every task kind. */
export type Task = CheckTask | HtmlTask | ClassifyChunkTask | AuditChunkTask;
export type TaskKind = Task['kind'];

/** A verdict, plus the body's sentences when the caller asked for them (the web page does). */
export type CheckResult = Verdict & { sentences?: string[]; paragraphs?: number[] };

/**
 * A {@link CheckResult} serialised as JSON by the worker, so the main thread neither copies the
 * object across threads nor stringifies it: it only forwards the text.
 */
export type CheckResultJson = string & { readonly __json: 'CheckResult' };

/** What each task kind resolves with. */
export interface TaskResults {
  check: CheckResultJson;
  html: CheckResultJson;
  /** One result per pair, in the chunk's order. */
  classifyChunk: PairResult[];
  /** One record per article, in the chunk's order, as `store.saveAudits` takes them. */
  auditChunk: AuditRecord[];
}

/** The result type of a task. */
export type ResultOf<T extends Task> = TaskResults[T['kind']];

/** A StanceError as it crosses the thread boundary. */
export type WireError = { code: ErrorCode; message: string } & ErrorContext;

/** What a worker is started with. */
export interface WorkerInit {
  /** Model file path; undefined means the default model. */
  modelPath: string | undefined;
  /**
   * URL of a module exporting `loadChecker(path?: string): Promise<Checker>`, and optionally
   * `loadCheckerWithVocab(path?)` → `{ checker, vocab }` (one model load): without it the worker
   * refuses `auditChunk` tasks, which need the model's vocabulary.
   */
  loaderUrl: string;
  /**
   * The worker's item clock, an Int32Array over this buffer: [0] when the current item (an
   * article, or one pair of a chunk) started, in ms since `base`, plus 1 (0 = no item running);
   * [1] the item's index in its task. The pool reads it to stop an item that runs over its limit.
   */
  clock: SharedArrayBuffer;
  /** Date.now() when the clock was made; clock times count from it. */
  base: number;
  /** Load the HTML extractor before reporting ready (else on the first HTML task). */
  preloadHtml: boolean;
}

/** Parent → worker. */
export interface TaskMessage {
  id: number;
  task: Task;
  /** Time limit per item of the task (an article, or one pair of a chunk), ms. */
  itemLimitMs?: number;
}

/** Worker → parent. */
export type WorkerMessage =
  | { type: 'ready'; card: ModelCard }
  | { type: 'fatal'; error: WireError }
  | { type: 'result'; id: number; result: TaskResults[TaskKind] }
  | { type: 'error'; id: number; error: WireError };

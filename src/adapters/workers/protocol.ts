/**
 * The tasks a {@link WorkerPool} runs and the messages that cross the thread boundary. Adding a
 * task kind: add it to {@link Task} and {@link TaskResults}, and its handler in tasks.ts.
 */
import type { ErrorCode, ErrorContext } from '../../core/errors.js';
import type { PairResult } from '../../core/classify-pairs.js';
import type { ModelCard } from '../../core/model/card.js';
import type { Article, Verdict } from '../../core/verdict.js';

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
}

/** Every task kind. */
export type Task = CheckTask | HtmlTask | ClassifyChunkTask;
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
}

/** The result type of a task. */
export type ResultOf<T extends Task> = TaskResults[T['kind']];

/** A StanceError as it crosses the thread boundary. */
export type WireError = { code: ErrorCode; message: string } & ErrorContext;

/** What a worker is started with. */
export interface WorkerInit {
  /** Model file path; undefined means the default model. */
  modelPath: string | undefined;
  /** URL of a module exporting `loadChecker(path?: string): Promise<Checker>`. */
  loaderUrl: string;
}

/** Parent → worker. */
export interface TaskMessage {
  id: number;
  task: Task;
}

/** Worker → parent. */
export type WorkerMessage =
  | { type: 'ready'; card: ModelCard }
  | { type: 'fatal'; error: WireError }
  | { type: 'result'; id: number; result: TaskResults[TaskKind] }
  | { type: 'error'; id: number; error: WireError };

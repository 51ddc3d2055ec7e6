import type { ErrorCode, ErrorContext } from '../../core/errors.js';
import type { ModelCard } from '../../core/model/card.js';
import type { Article, Verdict } from '../../core/verdict.js';

/** Work the server hands to a worker thread. */
export type Job = (
  | { kind: 'check'; article: Article; sentences: boolean }
  | { kind: 'html'; html: string; sentences: boolean }
) & { /** Evidence sentences per verdict (the checker's default when absent). */ evidence?: number };

/** A verdict, plus the body's sentences when the caller asked for them (the web page does). */
export type CheckResult = Verdict & { sentences?: string[]; paragraphs?: number[] };

/**
 * A {@link CheckResult} serialised as JSON by the worker, so the main thread neither copies the
 * object across threads nor stringifies it: it only forwards the text.
 */
export type CheckResultJson = string & { readonly __json: 'CheckResult' };

/** A StanceError as it crosses the thread boundary. */
export type WireError = { code: ErrorCode; message: string } & ErrorContext;

/** What the worker is started with. */
export interface WorkerInit {
  /** Model file path; undefined means the default model. */
  modelPath: string | undefined;
  /** URL of a module exporting `loadChecker(path?: string): Promise<Checker>`. */
  loaderUrl: string;
}

/** Parent → worker. */
export interface JobMessage {
  id: number;
  job: Job;
}

/** Worker → parent. */
export type WorkerMessage =
  | { type: 'ready'; card: ModelCard }
  | { type: 'fatal'; error: WireError }
  | { type: 'result'; id: number; json: CheckResultJson }
  | { type: 'error'; id: number; error: WireError };

/**
 * `stancecheck check <file|->`: does the article's body back its headline?
 */
import { extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { parseArticle, toArticle } from '../../../core/article.js';
import { normalizeText } from '../../../core/text/normalize.js';
import { StanceError, type ErrorContext } from '../../../core/errors.js';
import type { Article, Verdict } from '../../../core/verdict.js';
import { DEFAULT_MAX_BYTES, readInput } from '../../fs/read-input.js';
import { WorkerPool } from '../../workers/pool.js';
import type { CheckTask, HtmlTask } from '../../workers/protocol.js';
import { formatVerdict } from '../format.js';
import { stdoutColors } from '../output.js';
import { safeJson, stripControlsDeep } from '../sanitize.js';

/** Options of `check`. */
export interface CheckOptions {
  headline?: string;
  subtitle?: string;
  body?: string;
  bodyFile?: string;
  json?: boolean;
  maxBytes?: number;
  evidence?: number;
  /** Per-article time limit in seconds (HTML extraction included). */
  timeout?: number;
  model?: string;
}

/** Default per-article (per-pair for `batch`) time limit: 60 s. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * The per-article limit of `--timeout SECONDS` in ms. The work runs on a worker thread of the pool
 * (a synchronous computation on the main thread could not be stopped), which publishes the item it
 * is on; the pool stops a worker whose item runs over (see workers/pool.ts).
 *
 * @throws StanceError USAGE for a limit that is not a positive number.
 */
export function timeLimitMs(seconds: number | undefined): number {
  const ms = (seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  if (!(ms > 0) || !Number.isFinite(ms)) {
    throw new StanceError('USAGE', `--timeout expects a positive number of seconds; found ${ms / 1000}`);
  }
  return ms;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(6))} s`;
}

/** The TIMEOUT error for an article (`what` names it, e.g. "row 3 of stances.csv"). */
export function timeoutError(what: string, timeoutMs: number, context: ErrorContext = {}): StanceError {
  const limit = formatSeconds(timeoutMs);
  return new StanceError(
    'TIMEOUT',
    `${what} took longer than the time limit; expected at most ${limit} per article (--timeout), found it still running at ${limit} (raise --timeout for very long articles)`,
    context,
  );
}

/** One article to check: parsed already, or an HTML page to extract first (under the limit). */
export type CheckJob = (
  { kind: 'article'; article: Article } | { kind: 'html'; html: string; file: string; subtitle?: string }
) & {
  /** Evidence sentences per verdict (the checker's default when absent). */
  evidence?: number;
};

function toTask(job: CheckJob): CheckTask | HtmlTask {
  return job.kind === 'article'
    ? { kind: 'check', article: job.article, evidence: job.evidence }
    : { kind: 'html', html: job.html, subtitle: job.subtitle, evidence: job.evidence };
}

function parseJsonText(text: string, file: string): Article {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new StanceError(
      'INPUT_FORMAT',
      `${file} is not valid JSON; expected {"headline", "body"}, found: ${e instanceof Error ? e.message : String(e)}`,
      { file },
      { cause: e },
    );
  }
  try {
    return toArticle(obj);
  } catch (e) {
    if (e instanceof StanceError) {
      throw new StanceError(e.code, `${file}: ${e.message}`, {
        ...e.context,
        file,
      });
    }
    throw e;
  }
}

/**
 * Builds the work from the command line: an article from a file/stdin or from --headline with
 * --body/--body-file, or an HTML page to extract (under the time limit, in the worker).
 */
export async function checkJobFromOptions(file: string | undefined, o: CheckOptions): Promise<CheckJob> {
  const limit = { maxBytes: o.maxBytes ?? DEFAULT_MAX_BYTES };
  const inlineBody = o.body !== undefined || o.bodyFile !== undefined;
  if (o.body !== undefined && o.bodyFile !== undefined) {
    throw new StanceError('USAGE', 'expected one of --body or --body-file; found both');
  }
  if (file !== undefined && inlineBody) {
    throw new StanceError('USAGE', `expected an article file or --body/--body-file; found both (${file})`);
  }
  if (o.headline !== undefined) {
    const bodySource = file ?? o.bodyFile;
    let body: string;
    if (o.body !== undefined) body = o.body;
    else if (bodySource !== undefined) body = await readInput(bodySource, limit);
    else
      throw new StanceError(
        'USAGE',
        '--headline needs a body; expected --body TEXT, --body-file PATH or a file argument',
      );
    // The one validate-and-normalise step (the same as for JSON and HTTP input).
    try {
      return { kind: 'article', article: toArticle({ headline: o.headline, body, subtitle: o.subtitle }) };
    } catch (e) {
      if (e instanceof StanceError && e.context.field === 'body' && bodySource !== undefined) {
        throw new StanceError(e.code, `${e.message} in ${bodySource}`, { ...e.context, file: bodySource });
      }
      throw e;
    }
  }
  if (inlineBody) {
    throw new StanceError('USAGE', '--body and --body-file need --headline TEXT; found no --headline');
  }
  if (file === undefined) {
    throw new StanceError(
      'USAGE',
      'expected an article file (or - for stdin), or --headline TEXT with --body TEXT / --body-file PATH; found none (see stancecheck check --help)',
    );
  }
  const subtitle =
    o.subtitle !== undefined && normalizeText(o.subtitle) !== '' ? normalizeText(o.subtitle) : undefined;
  if (/^https?:\/\//i.test(file)) {
    // An article page on the web: fetched (timeout, size and redirect limits), then checked as .html.
    const { fetchText } = await import('../../corpus/fetch.js');
    const page = await fetchText(file);
    return { kind: 'html', html: page.text, file, ...(subtitle !== undefined ? { subtitle } : {}) };
  }
  const text = await readInput(file, limit);
  const ext = extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm' || (file === '-' && /^\s*(<!doctype html|<html)/i.test(text)))
    return { kind: 'html', html: text, file, ...(subtitle !== undefined ? { subtitle } : {}) };
  let article: Article;
  if (ext === '.json' || (file === '-' && text.trimStart().startsWith('{')))
    article = parseJsonText(text, file === '-' ? 'stdin' : file);
  else article = parseArticle(text);
  if (subtitle !== undefined) article = { ...article, subtitle };
  return { kind: 'article', article };
}

/** Runs `check`: the model loads in the worker while the input is read. */
export async function runCheck(file: string | undefined, o: CheckOptions): Promise<void> {
  const limitMs = timeLimitMs(o.timeout);
  const starting = WorkerPool.start({ size: 1, modelPath: o.model });
  // A model error is reported after any input error: keep it from counting as unhandled meanwhile.
  starting.catch(() => undefined);
  let job: CheckJob;
  try {
    job = { ...(await checkJobFromOptions(file, o)), evidence: o.evidence };
  } catch (e) {
    void starting.then(
      (pool) => pool.destroy(),
      () => undefined,
    );
    throw e;
  }
  const pool = await starting;
  let verdict: Verdict;
  try {
    verdict = JSON.parse(await pool.run(toTask(job), { itemTimeoutMs: limitMs })) as Verdict;
  } catch (e) {
    if (e instanceof StanceError && e.code === 'TIMEOUT')
      throw timeoutError(
        file === undefined || file === '-' ? 'checking the article' : `checking ${file}`,
        limitMs,
      );
    if (e instanceof StanceError && job.kind === 'html' && e.message.startsWith('cannot read HTML input:'))
      throw new StanceError(e.code, e.message.replace('HTML input:', `HTML input ${job.file}:`), {
        file: job.file,
      });
    throw e;
  } finally {
    await pool.destroy();
  }
  if (o.json) {
    process.stdout.write(`${safeJson(verdict)}\n`);
    return;
  }
  // The verdict's texts come from the input: strip them before adding our own colours.
  process.stdout.write(formatVerdict(stripControlsDeep(verdict), stdoutColors(), o.evidence ?? 3));
}

/** Parses `--timeout SECONDS`: a positive number. */
export function parseSeconds(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive number of seconds; found ${v}`);
  return n;
}

/** Registers `check` on the program. */
export function registerCheck(program: Command, parseIntOption: (v: string) => number): void {
  program
    .command('check')
    .description('check whether an article backs its headline')
    .argument(
      '[file]',
      'article file: text (headline, optional subtitle, body), .json or .html; - for stdin; or an http(s) URL of an article page',
    )
    .option(
      '--headline <text>',
      'the headline (then the body comes from --body, --body-file or the file argument)',
    )
    .option('--subtitle <text>', 'a subtitle / standfirst to check as well')
    .option('--body <text>', 'the body text')
    .option('--body-file <path>', 'read the body from a file')
    .option('--json', 'print one JSON object (label, probabilities, evidence, reason, subtitle)')
    .option('--evidence <n>', 'evidence sentences to list, 0-50 (default 3; also in --json)', parseIntOption)
    .option('--max-bytes <n>', `refuse input larger than this (default ${DEFAULT_MAX_BYTES})`, parseIntOption)
    .option(
      '--timeout <seconds>',
      `time limit for the article, HTML extraction included; exit 75 when hit (default ${DEFAULT_TIMEOUT_SECONDS})`,
      parseSeconds,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ stancecheck check examples/supported.txt
  $ stancecheck check --headline "Mayor resigns" --body-file story.txt --json
  $ cat article.txt | stancecheck check -`,
    )
    .action(async (file: string | undefined, _opts: CheckOptions, cmd: Command) => {
      await runCheck(file, cmd.optsWithGlobals<CheckOptions>());
    });
}

/**
 * `stancecheck check <file|->`: does the article's body back its headline?
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { parseArticle, parseArticleJson } from '../../../core/article.js';
import { StanceError } from '../../../core/errors.js';
import { normalizeText } from '../../../core/text/normalize.js';
import type { Article } from '../../../core/verdict.js';
import { DEFAULT_MAX_BYTES, readInput } from '../../fs/read-input.js';
import { loadChecker } from '../../fs/load-checker.js';
import { formatVerdict } from '../format.js';
import { stdoutColors } from '../output.js';

/** Options of `check`. */
export interface CheckOptions {
  headline?: string;
  subtitle?: string;
  body?: string;
  bodyFile?: string;
  json?: boolean;
  maxBytes?: number;
  evidence?: number;
  model?: string;
}

async function fromHtml(html: string, file: string): Promise<Article> {
  // Imported lazily: the HTML parser is only loaded for HTML input.
  let mod: typeof import('../../html/extract.js');
  try {
    mod = await import('../../html/extract.js');
  } catch (e) {
    throw new StanceError(
      'USAGE',
      `stancecheck: cannot read HTML input ${file}: the HTML extractor is not available in this build; expected a .txt or .json article`,
      { file },
      { cause: e },
    );
  }
  return mod.extractArticle(html);
}

function parseJsonText(text: string, file: string): Article {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new StanceError(
      'INPUT_FORMAT',
      `stancecheck: ${file} is not valid JSON; expected {"headline", "body"}, found: ${e instanceof Error ? e.message : String(e)}`,
      { file },
      { cause: e },
    );
  }
  try {
    return parseArticleJson(obj);
  } catch (e) {
    if (e instanceof StanceError) {
      throw new StanceError(e.code, e.message.replace(/^stancecheck: /, `stancecheck: ${file}: `), {
        ...e.context,
        file,
      });
    }
    throw e;
  }
}

/** Builds the article from the command line: a file/stdin, or --headline with --body/--body-file. */
export async function articleFromOptions(file: string | undefined, o: CheckOptions): Promise<Article> {
  const limit = { maxBytes: o.maxBytes ?? DEFAULT_MAX_BYTES };
  const inlineBody = o.body !== undefined || o.bodyFile !== undefined;
  if (o.body !== undefined && o.bodyFile !== undefined) {
    throw new StanceError('USAGE', 'stancecheck: expected one of --body or --body-file; found both');
  }
  if (file !== undefined && inlineBody) {
    throw new StanceError(
      'USAGE',
      `stancecheck: expected an article file or --body/--body-file; found both (${file})`,
    );
  }
  if (o.headline !== undefined) {
    const headline = normalizeText(o.headline).replace(/\n+/g, ' ');
    const bodySource = file ?? o.bodyFile;
    let body: string;
    if (o.body !== undefined) body = o.body;
    else if (bodySource !== undefined) body = await readInput(bodySource, limit);
    else
      throw new StanceError(
        'USAGE',
        'stancecheck: --headline needs a body; expected --body TEXT, --body-file PATH or a file argument',
      );
    const article: Article = { headline, body: normalizeText(body) };
    if (o.subtitle !== undefined && normalizeText(o.subtitle) !== '')
      article.subtitle = normalizeText(o.subtitle);
    if (article.headline === '')
      throw new StanceError(
        'INPUT_EMPTY',
        'stancecheck: expected a non-empty --headline; found an empty one',
        { field: 'headline' },
      );
    if (article.body === '')
      throw new StanceError(
        'INPUT_EMPTY',
        `stancecheck: expected a non-empty body; found an empty one${bodySource ? ` in ${bodySource}` : ''}`,
        { field: 'body' },
      );
    return article;
  }
  if (inlineBody) {
    throw new StanceError(
      'USAGE',
      'stancecheck: --body and --body-file need --headline TEXT; found no --headline',
    );
  }
  if (file === undefined) {
    throw new StanceError(
      'USAGE',
      'stancecheck: expected an article file (or - for stdin), or --headline TEXT with --body TEXT / --body-file PATH; found none (see stancecheck check --help)',
    );
  }
  const text = await readInput(file, limit);
  const ext = extname(file).toLowerCase();
  let article: Article;
  if (ext === '.json' || (file === '-' && text.trimStart().startsWith('{')))
    article = parseJsonText(text, file === '-' ? 'stdin' : file);
  else if (ext === '.html' || ext === '.htm' || (file === '-' && /^\s*(<!doctype html|<html)/i.test(text)))
    article = await fromHtml(text, file);
  else article = parseArticle(text);
  if (o.subtitle !== undefined && normalizeText(o.subtitle) !== '')
    article = { ...article, subtitle: normalizeText(o.subtitle) };
  return article;
}

/** Runs `check`. */
export async function runCheck(file: string | undefined, o: CheckOptions): Promise<void> {
  const article = await articleFromOptions(file, o);
  const checker = await loadChecker(o.model);
  const verdict = checker.check(article, { evidence: o.evidence });
  if (o.json) {
    process.stdout.write(`${JSON.stringify(verdict)}\n`);
    return;
  }
  process.stdout.write(formatVerdict(verdict, stdoutColors(), o.evidence ?? 3));
}

/** Registers `check` on the program. */
export function registerCheck(program: Command, parseIntOption: (v: string) => number): void {
  program
    .command('check')
    .description('check whether an article backs its headline')
    .argument('[file]', 'article file: text (headline, optional subtitle, body), .json or .html; - for stdin')
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

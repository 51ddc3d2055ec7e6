/**
 * `stancecheck train`: trains a model from FNC-1 files and writes the model and its card.
 */
import type { Command } from 'commander';
import { StanceError } from '../../../core/errors.js';
import { createProgress, printOut } from '../output.js';
import { safeJson } from '../sanitize.js';
import type { TrainFilesOptions } from '../../fs/train-files.js';

/** Options of `train`. */
export interface TrainOptions {
  bodies: string;
  stances: string;
  dev?: string;
  out: string;
  seed?: number;
  embeddings?: string;
  vectors?: boolean;
  name?: string;
  extraBodies?: string;
  extraStances?: string;
  extraWeight?: number;
  extraHoldoutFold?: number;
  progress?: boolean;
  json?: boolean;
}

function shellQuote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** The command line as typed, for the model card. */
export function commandLine(argv: readonly string[] = process.argv.slice(2)): string {
  return ['stancecheck', ...argv].map(shellQuote).join(' ');
}

/** Runs `train`. */
export async function runTrain(o: TrainOptions): Promise<void> {
  // Imported lazily: training code is not loaded by the other commands.
  const { trainFromFiles } = await import('../../fs/train-files.js');
  const progress = createProgress(o.progress !== false);
  let phase = '';
  const started = performance.now();
  let result: Awaited<ReturnType<typeof trainFromFiles>>;
  try {
    result = await trainFromFiles({
      bodiesPath: o.bodies,
      stancesPath: o.stances,
      ...(o.dev !== undefined ? { devPath: o.dev } : {}),
      outDir: o.out,
      seed: o.seed ?? 1,
      ...(o.embeddings !== undefined ? { embeddingsPath: o.embeddings } : {}),
      ...(o.vectors === false ? { vectors: false } : {}),
      ...(o.name !== undefined ? { name: o.name } : {}),
      ...extraOption(o),
      command: commandLine(),
      onProgress: (p, done, total) => {
        if (p !== phase) {
          phase = p;
          progress.start(total, p);
        }
        progress.update(done);
      },
    });
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  if (o.json) {
    process.stdout.write(
      `${safeJson({ modelPath: result.modelPath, cardPath: result.cardPath, card: result.card })}\n`,
    );
    return;
  }
  const c = result.card;
  const lines = [
    `trained ${c.name} ${c.version} on ${c.data.pairs} pairs in ${seconds.toFixed(1)} s (seed ${c.seed})`,
    `model: ${result.modelPath}`,
    `card:  ${result.cardPath}`,
  ];
  if (c.dev) {
    lines.push(
      `dev (${c.dev.stances}): FNC-1 ${(c.dev.fnc * 100).toFixed(2)}%, macro-F1 ${c.dev.macroF1.toFixed(3)}, accuracy ${(c.dev.accuracy * 100).toFixed(2)}%` +
        (c.dev.ece !== undefined ? `, ECE ${c.dev.ece.toFixed(3)}` : ''),
    );
  }
  printOut(`${lines.join('\n')}\n`);
}

function extraOption(o: TrainOptions): { extra?: NonNullable<TrainFilesOptions['extra']> } {
  if (o.extraBodies === undefined && o.extraStances === undefined) {
    if (o.extraWeight !== undefined || o.extraHoldoutFold !== undefined)
      throw new StanceError(
        'USAGE',
        '--extra-weight and --extra-holdout-fold need --extra-bodies and --extra-stances',
      );
    return {};
  }
  if (o.extraBodies === undefined || o.extraStances === undefined)
    throw new StanceError('USAGE', '--extra-bodies and --extra-stances go together; found only one of them');
  return {
    extra: {
      bodiesPath: o.extraBodies,
      stancesPath: o.extraStances,
      ...(o.extraWeight !== undefined ? { weight: o.extraWeight } : {}),
      ...(o.extraHoldoutFold !== undefined ? { holdoutFold: o.extraHoldoutFold } : {}),
    },
  };
}

function parseWeight(v: string): number {
  const n = Number(v);
  if (!(n > 0 && n <= 1))
    throw new StanceError('USAGE', `--extra-weight expects a number in (0, 1]; found ${v}`);
  return n;
}

function parseFold(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 3)
    throw new StanceError('USAGE', `--extra-holdout-fold expects 0, 1, 2 or 3; found ${v}`);
  return n;
}

function parseSeed(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new StanceError('USAGE', `--seed expects an integer; found ${v}`);
  return n;
}

/** Registers `train` on the program. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a model from FNC-1 files')
    .requiredOption('--bodies <file>', 'bodies CSV (Body ID,articleBody)')
    .requiredOption('--stances <file>', 'training stances CSV (Headline,Body ID,Stance)')
    .option('--dev <file>', 'development stances CSV, scored into the model card')
    .requiredOption('--out <dir>', 'output directory for the model and its card')
    .option('--seed <n>', 'random seed', parseSeed, 1)
    .option('--embeddings <file>', 'word vectors to use')
    .option('--no-vectors', 'train without word vectors')
    .option('--name <name>', 'model name recorded in the card')
    .option(
      '--extra-bodies <file>',
      "a second domain's bodies CSV (e.g. ARC's), trained on at a lower weight",
    )
    .option('--extra-stances <file>', "the second domain's stances CSV")
    .option('--extra-weight <w>', "sample weight of the second domain's pairs (default 0.3)", parseWeight)
    .option(
      '--extra-holdout-fold <k>',
      'leave out fold k of 4 claim-disjoint folds (seed 1) of the second domain, as its dev set',
      parseFold,
    )
    .option('--json', 'print the result as JSON')
    .option('--no-progress', 'no progress bars')
    .addHelpText(
      'after',
      `
Example:
  $ stancecheck train --bodies train_bodies.csv --stances train.csv --dev dev.csv --out models/`,
    )
    .action(async (_opts: TrainOptions, cmd: Command) => {
      await runTrain(cmd.optsWithGlobals<TrainOptions>());
    });
}

/**
 * `stancecheck train`: trains a model from FNC-1 files and writes the model and its card.
 */
import type { Command } from 'commander';
import { StanceError } from '../../../core/errors.js';
import { createProgress, printOut } from '../output.js';
import { safeJson } from '../sanitize.js';

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

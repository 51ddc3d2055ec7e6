/**
 * The `stancecheck` command line: parses arguments, runs one command, maps errors to exit codes.
 * Logic lives in the library; each command is a thin file in ./commands.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { StanceError } from '../../core/errors.js';
import { registerBatch } from './commands/batch.js';
import { registerCheck } from './commands/check.js';
import { registerCorpus } from './commands/corpus.js';
import { registerEval } from './commands/eval.js';
import { registerServe } from './commands/serve.js';
import { registerTrain } from './commands/train.js';
import { registerQueue } from './commands/queue.js';
import { registerWorker } from './commands/worker.js';
import { EXIT_CODES } from './exit-codes.js';
import { reportError } from './output.js';
import { stripControls } from './sanitize.js';

/** The package version (package.json sits three levels up from both src/adapters/cli and dist/adapters/cli). */
const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

function parseIntOption(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a non-negative integer; found ${v}`);
  return n;
}

/** Every command below `cmd` (subcommands such as `queue submit` included). */
function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** Builds the program (exported for tests and docs). */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('stancecheck')
    .description(
      'Does a news article back its headline? FNC-1 stance: agree / disagree / discuss / unrelated.',
    )
    .version(VERSION, '-V, --version')
    .option('--model <path>', 'model file (default: the bundled model, or $STANCECHECK_MODEL)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => write(stripControls(`stancecheck: ${str.replace(/^error: /, '')}`)),
    });
  registerCheck(program, parseIntOption);
  registerBatch(program);
  registerEval(program);
  registerTrain(program);
  registerServe(program, parseIntOption);
  registerQueue(program, parseIntOption);
  registerWorker(program, parseIntOption);
  registerCorpus(program, parseIntOption);
  program.addHelpText(
    'after',
    `
Examples:
  $ stancecheck check examples/supported.txt
  $ stancecheck batch --bodies bodies.csv --stances stances.csv --out submission.csv
  $ stancecheck eval --bodies bodies.csv --stances dev.csv --report report.html

Exit codes: 0 ok, ${EXIT_CODES.USAGE} usage, ${EXIT_CODES.INPUT_FORMAT} bad input, ${EXIT_CODES.FILE_NOT_FOUND} missing file, ${EXIT_CODES.OUTPUT_FAILED} cannot write output, ${EXIT_CODES.MODEL_INVALID} model problem, ${EXIT_CODES.TIMEOUT} time limit hit, ${EXIT_CODES.INTERNAL} internal error.`,
  );
  for (const cmd of allCommands(program)) {
    cmd.exitOverride().configureOutput({
      outputError: (str, write) => write(stripControls(`stancecheck: ${str.replace(/^error: /, '')}`)),
    });
  }
  return program;
}

/** Runs the CLI with `argv` (as in process.argv) and returns the exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const json = argv.includes('--json');
  const program = buildProgram();
  if (json) {
    // Usage errors go out as JSON below instead of commander's text.
    for (const cmd of [program, ...allCommands(program)]) {
      cmd.configureOutput({ outputError: () => undefined }).showHelpAfterError(false);
    }
  }
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      if (json) return reportError(new StanceError('USAGE', e.message.replace(/^error: /, '')), true);
      return EXIT_CODES.USAGE;
    }
    return reportError(e, json);
  }
}

// A closed pipe (`stancecheck batch --out - | head`) ends quietly instead of crashing.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const code = await main();
process.exitCode = code;

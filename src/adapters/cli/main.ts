/**
 * The `stancecheck` command line: parses arguments, runs one command, maps errors to exit codes.
 * Logic lives in the library; each command is a thin file in ./commands.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { StanceError } from '../../core/errors.js';
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

type Register = (program: Command) => void;

/**
 * The commands, in help order, each loaded only when needed: a run names one command and loads
 * that one's modules only (the corpus store, BullMQ, the model… cost every other command start-up
 * time); help and unknown commands load them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  check: async () => {
    const { registerCheck } = await import('./commands/check.js');
    return (p) => registerCheck(p, parseIntOption);
  },
  batch: async () => (await import('./commands/batch.js')).registerBatch,
  eval: async () => (await import('./commands/eval.js')).registerEval,
  train: async () => (await import('./commands/train.js')).registerTrain,
  serve: async () => {
    const { registerServe } = await import('./commands/serve.js');
    return (p) => registerServe(p, parseIntOption);
  },
  queue: async () => {
    const { registerQueue } = await import('./commands/queue.js');
    return (p) => registerQueue(p, parseIntOption);
  },
  worker: async () => {
    const { registerWorker } = await import('./commands/worker.js');
    return (p) => registerWorker(p, parseIntOption);
  },
  corpus: async () => {
    const { registerCorpus } = await import('./commands/corpus.js');
    return (p) => registerCorpus(p, parseIntOption);
  },
};

/** The command `argv` names (the first argument that is not an option or --model's value). */
function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--model') i++;
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** Loads the registrations a run needs: the named command's, or every command's. */
async function registrations(argv: readonly string[]): Promise<Register[]> {
  const name = commandOf(argv);
  const wanted = name !== undefined && Object.hasOwn(COMMANDS, name) ? [name] : Object.keys(COMMANDS);
  return Promise.all(wanted.map((n) => (COMMANDS[n] as () => Promise<Register>)()));
}

/** Builds the program with the given commands (all of them for help). */
function buildProgram(commands: readonly Register[]): Command {
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
  for (const register of commands) register(program);
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
  const program = buildProgram(await registrations(argv));
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

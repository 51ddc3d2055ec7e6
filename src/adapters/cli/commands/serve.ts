/**
 * `stancecheck serve`: starts the HTTP server. The server lives in src/adapters/http and is
 * imported only when this command runs.
 */
import type { Command } from 'commander';
import type { ServeCommandOptions } from '../../http/serve-command.js';

/** Registers `serve` on the program. */
export function registerServe(program: Command, parseIntOption: (v: string) => number): void {
  program
    .command('serve')
    .description('serve the checker over HTTP (and the web page)')
    .option('--port <n>', 'port to listen on (default 8080)', parseIntOption)
    .option('--host <host>', 'interface to bind (default 127.0.0.1)')
    .option('--workers <n>', 'worker threads (default: one per core)', parseIntOption)
    .option('--queue-size <n>', 'most queued requests before 503 (default 64)', parseIntOption)
    .option('--timeout-ms <n>', 'per-request time limit (default 10000)', parseIntOption)
    .option('--max-body-bytes <n>', 'largest request body (default 1 MB)', parseIntOption)
    .option('--max-batch-lines <n>', 'most lines per batch request (default 1000)', parseIntOption)
    .option('--batch-timeout-ms <n>', 'time budget of a whole batch request (default 120000)', parseIntOption)
    .option(
      '--cors <origin>',
      'let web pages on ORIGIN call /v1 (repeatable; * for any; default off)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option(
      '--db <path|url>',
      'corpus behind /v1/corpus/… (default $STANCECHECK_DB, else ./stancecheck.db if it exists, else off)',
    )
    .option('--no-corpus', 'serve without the corpus routes even if ./stancecheck.db exists')
    .option(
      '--token <token>',
      'bearer token the corpus write routes require (default $STANCECHECK_TOKEN; without one they are refused)',
    )
    .addHelpText(
      'after',
      `
Listening beyond loopback (--host 0.0.0.0) with the corpus on needs a token; prefer the
STANCECHECK_TOKEN environment variable to --token, which other users can see in the process list.

Examples:
  $ stancecheck serve --port 8080
  $ STANCECHECK_TOKEN=$(openssl rand -hex 16) stancecheck serve --db news.db --host 0.0.0.0`,
    )
    .action(async (_opts: ServeCommandOptions, cmd: Command) => {
      const { serveCommand } = await import('../../http/serve-command.js');
      await serveCommand(cmd.optsWithGlobals<ServeCommandOptions>());
    });
}

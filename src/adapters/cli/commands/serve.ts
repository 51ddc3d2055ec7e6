/**
 * `stancecheck serve`: starts the HTTP server. The server lives in src/adapters/http and is
 * imported only when this command runs.
 */
import type { Command } from 'commander';
import { StanceError } from '../../../core/errors.js';

interface ServeModule {
  serveCommand(opts: Record<string, unknown>): Promise<void>;
}

/** Registers `serve` on the program. */
export function registerServe(program: Command, parseIntOption: (v: string) => number): void {
  program
    .command('serve')
    .description('serve the checker over HTTP (and the web page)')
    .option('--port <n>', 'port to listen on', parseIntOption)
    .option('--host <host>', 'interface to bind')
    .option('--workers <n>', 'worker threads', parseIntOption)
    .allowUnknownOption(false)
    .action(async (_opts: Record<string, unknown>, cmd: Command) => {
      const specifier = '../../http/serve-command.js';
      let mod: ServeModule;
      try {
        mod = (await import(specifier)) as ServeModule;
      } catch (e) {
        throw new StanceError('INTERNAL', 'stancecheck: the HTTP server is not available in this build (src/adapters/http/serve-command.ts is missing)', {}, { cause: e });
      }
      await mod.serveCommand(cmd.optsWithGlobals());
    });
}

/**
 * Terminal helpers shared by the commands: colours (only on a TTY), error printing and progress
 * bars on stderr.
 */
import pc from 'picocolors';
import cliProgress from 'cli-progress';
import { toStanceError, type StanceError } from '../../core/errors.js';
import { exitCodeFor } from './exit-codes.js';
import { safeJson, stripControls } from './sanitize.js';

/** Colour functions; identity functions when colours are off. */
export type Colors = ReturnType<typeof pc.createColors>;

/** Colours for stdout: on only when stdout is a TTY and NO_COLOR is unset. */
export function stdoutColors(): Colors {
  const enabled =
    Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return pc.createColors(enabled);
}

/** Prefixes a message with the tool name, once (messages should not carry it themselves). */
export function prefixed(message: string): string {
  return `stancecheck: ${message.replace(/^stancecheck: ?/, '')}`;
}

/** Writes human text to stdout with input-borne control characters and escapes removed. */
export function printOut(text: string): void {
  process.stdout.write(stripControls(text));
}

/** Writes human text to stderr with input-borne control characters and escapes removed. */
export function printErr(text: string): void {
  process.stderr.write(stripControls(text));
}

/** Prints an error to stderr (plain or JSON) and returns the exit code for it. */
export function reportError(e: unknown, json: boolean): number {
  const err: StanceError = toStanceError(e);
  if (json) {
    process.stderr.write(`${safeJson({ error: { ...err.toJSON(), message: prefixed(err.message) } })}\n`);
  } else {
    printErr(`${prefixed(err.message)}\n`);
    if (err.code === 'INTERNAL' && process.env.STANCECHECK_DEBUG && err.cause instanceof Error) {
      process.stderr.write(`${err.cause.stack ?? ''}\n`);
    }
  }
  return exitCodeFor(err.code);
}

/** A progress display on stderr that does nothing when stderr is not a TTY. */
export interface Progress {
  start(total: number, label: string): void;
  update(done: number): void;
  stop(): void;
}

/** A progress bar on stderr when it is a TTY (and `enabled`), else a no-op. */
export function createProgress(enabled = true): Progress {
  if (!enabled || !process.stderr.isTTY) {
    return { start: () => undefined, update: () => undefined, stop: () => undefined };
  }
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total, label) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${label.padEnd(10)} {bar} {percentage}% | {value}/{total} | {eta_formatted} left`,
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** What the server logs through. Inject one; the server never writes to the console itself. */
export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { log: () => undefined };

/**
 * A logger writing one JSON object per line: `{"time","level","msg",...fields}`.
 * Lines below `minLevel` are dropped.
 */
export function jsonLineLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
  minLevel: LogLevel = 'info',
): Logger {
  const min = LOG_LEVELS.indexOf(minLevel);
  return {
    log(level, msg, fields = {}) {
      if (LOG_LEVELS.indexOf(level) < min) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
    },
  };
}

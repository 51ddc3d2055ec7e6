/**
 * One error type with stable codes. Adapters map codes to exit codes (CLI) and statuses (HTTP);
 * messages say what was expected and what was found.
 */
export const ERROR_CODES = {
  USAGE: 'the command line or request is not as expected',
  FILE_NOT_FOUND: 'an input file does not exist or cannot be read',
  INPUT_EMPTY: 'a headline or body is empty',
  INPUT_ENCODING: 'input is not valid UTF-8',
  INPUT_TOO_LARGE: 'input is larger than the limit',
  INPUT_FORMAT: 'input is malformed (CSV, JSON or JSONL)',
  UNKNOWN_BODY_ID: 'a stance row names a Body ID the bodies file does not have',
  MODEL_NOT_FOUND: 'no model file at the given path',
  MODEL_VERSION: 'the model file has a format version this stancecheck does not know',
  MODEL_INVALID: 'the model file is damaged or not a stancecheck model',
  OUTPUT_FAILED: 'an output file could not be written',
  TIMEOUT: 'the work took longer than allowed',
  OVERLOADED: 'too much work is queued; try again later',
  NOT_FOUND: 'no such route',
  QUEUE_UNAVAILABLE: 'the job queue (Redis) cannot be reached',
  JOB_NOT_FOUND: 'no queued job has that id',
  JOB_UNFINISHED: 'the queued job has pairs not scored yet',
  JOB_FAILED: 'chunks of the queued job failed for good',
  METHOD_NOT_ALLOWED: 'the route exists but not for this method',
  INTERNAL: 'an unexpected internal error',
  DB_OPEN: 'the corpus database cannot be opened (unreachable server, foreign or unreadable file)',
  DB_VERSION: 'the corpus database has a newer schema than this stancecheck knows',
  DB_CORRUPT: 'the corpus database is damaged',
  FETCH_FAILED: 'a URL could not be fetched (network error, HTTP error, timeout, too large)',
  UNAUTHORIZED: 'a write request lacks the right bearer token',
} as const;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Where in the input a problem is, when known. */
export interface ErrorContext {
  /** File path (as the user gave it). */
  file?: string;
  /** 1-based data row or line number. */
  row?: number;
  /** Column or field name. */
  field?: string;
}

/** The only error stancecheck throws on purpose. */
export class StanceError extends Error {
  override readonly name = 'StanceError';
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.context = context;
  }

  /** A JSON-friendly view: `{ code, message, file?, row?, field? }`. */
  toJSON(): { code: ErrorCode; message: string } & ErrorContext {
    return { code: this.code, message: this.message, ...this.context };
  }
}

/** True for a {@link StanceError}. */
export function isStanceError(e: unknown): e is StanceError {
  return e instanceof StanceError;
}

/** Wraps anything thrown into a StanceError (unknown errors become INTERNAL). */
export function toStanceError(e: unknown): StanceError {
  if (e instanceof StanceError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new StanceError('INTERNAL', `internal error: ${msg}`, {}, { cause: e });
}

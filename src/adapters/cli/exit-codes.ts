/**
 * The one table from error codes to process exit codes (BSD sysexits where one fits).
 */
import type { ErrorCode } from '../../core/errors.js';

/** Exit code for every {@link ErrorCode}. Success is 0. */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  USAGE: 2,
  FILE_NOT_FOUND: 66, // EX_NOINPUT
  INPUT_EMPTY: 65, // EX_DATAERR
  INPUT_ENCODING: 65,
  INPUT_TOO_LARGE: 65,
  INPUT_FORMAT: 65,
  UNKNOWN_BODY_ID: 65,
  MODEL_NOT_FOUND: 78, // EX_CONFIG
  MODEL_VERSION: 78,
  MODEL_INVALID: 78,
  OUTPUT_FAILED: 73, // EX_CANTCREAT
  TIMEOUT: 75, // EX_TEMPFAIL
  OVERLOADED: 75,
  NOT_FOUND: 69, // EX_UNAVAILABLE
  QUEUE_UNAVAILABLE: 69, // EX_UNAVAILABLE
  JOB_NOT_FOUND: 66,
  JOB_UNFINISHED: 75, // EX_TEMPFAIL: try again when the job is done
  JOB_FAILED: 1,
  METHOD_NOT_ALLOWED: 69, // HTTP only
  INTERNAL: 70, // EX_SOFTWARE
  DB_OPEN: 69, // EX_UNAVAILABLE
  DB_VERSION: 78, // EX_CONFIG
  DB_CORRUPT: 65, // EX_DATAERR
  FETCH_FAILED: 69,
  UNAUTHORIZED: 77, // EX_NOPERM
};

/** The exit code for an error code. */
export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[code];
}

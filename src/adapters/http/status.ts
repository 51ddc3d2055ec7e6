import type { ErrorCode } from '../../core/errors.js';

/**
 * The one table from error code to HTTP status. Every error the server sends is a StanceError whose
 * status comes from here; `Record<ErrorCode, …>` makes the compiler insist on a row for each code.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  USAGE: 400, // e.g. wrong Content-Type, bad query parameter
  FILE_NOT_FOUND: 400,
  INPUT_EMPTY: 400,
  INPUT_ENCODING: 400,
  INPUT_FORMAT: 400, // invalid JSON, wrong types, missing fields
  UNKNOWN_BODY_ID: 400,
  INPUT_TOO_LARGE: 413,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405, // with an Allow header
  TIMEOUT: 504,
  OVERLOADED: 503,
  MODEL_NOT_FOUND: 500,
  MODEL_VERSION: 500,
  MODEL_INVALID: 500,
  OUTPUT_FAILED: 500,
  QUEUE_UNAVAILABLE: 503,
  JOB_NOT_FOUND: 404,
  JOB_UNFINISHED: 409,
  JOB_FAILED: 500,
  INTERNAL: 500,
  DB_OPEN: 503,
  DB_VERSION: 500,
  DB_CORRUPT: 500,
  FETCH_FAILED: 502,
  UNAUTHORIZED: 401,
};

/** The HTTP status for an error code. */
export function statusFor(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

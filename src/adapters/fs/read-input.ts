/**
 * Reads one input (a file path or `-` for stdin) as UTF-8 text, safely: a missing file, invalid
 * UTF-8 and oversize input each become a {@link StanceError} that names the path.
 */
import { open, stat } from 'node:fs/promises';
import { StanceError } from '../../core/errors.js';

/** Default size limit for one article: 20 MB. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** Options of {@link readInput}. */
export interface ReadInputOptions {
  /** Refuse input larger than this many bytes. Default {@link DEFAULT_MAX_BYTES} (20 MB). */
  maxBytes?: number;
  /** Stream to read when the path is `-`. Default `process.stdin`. */
  stdin?: NodeJS.ReadableStream;
  /** Name used in messages for stdin. Default `stdin`. */
  stdinName?: string;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

function tooLarge(name: string, size: number | undefined, max: number): StanceError {
  const found = size === undefined ? `more than ${formatBytes(max)}` : formatBytes(size);
  return new StanceError(
    'INPUT_TOO_LARGE',
    `${name} is too large; expected at most ${formatBytes(max)}, found ${found}`,
    { file: name },
  );
}

/** Locates the first invalid UTF-8 sequence: its byte offset and 1-based line. */
export function findInvalidUtf8(bytes: Uint8Array): { offset: number; line: number } | undefined {
  let line = 1;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b === 0x0a) line++;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return { offset: i, line };
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return { offset: i, line };
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { offset: i, line };
    i += need + 1;
  }
  return undefined;
}

/** Options of {@link decodeUtf8}. */
export interface DecodeUtf8Options {
  /** Advice appended to the message in parentheses. Default: save the file as UTF-8. */
  hint?: string;
}

/**
 * Decodes bytes as strict UTF-8 (a leading BOM is dropped). The one decoder for every input the
 * CLI and the HTTP server read.
 *
 * @example
 * decodeUtf8(bytes, 'request body', { hint: 'send UTF-8' });
 * @throws StanceError INPUT_ENCODING naming `name`, the byte offset and the line of the first bad
 * byte (context: `{ file: name, row: line }`).
 */
export function decodeUtf8(bytes: Uint8Array, name: string, options: DecodeUtf8Options = {}): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    const at = findInvalidUtf8(bytes);
    const where = at ? ` at byte ${at.offset} (line ${at.line})` : '';
    const shown = at ? `0x${(bytes[at.offset] ?? 0).toString(16).padStart(2, '0')}` : 'invalid bytes';
    const hint = options.hint ?? 'save the file as UTF-8';
    throw new StanceError(
      'INPUT_ENCODING',
      `${name} is not valid UTF-8; expected UTF-8 text, found byte ${shown}${where}${hint === '' ? '' : ` (${hint})`}`,
      at ? { file: name, row: at.line } : { file: name },
      { cause: e },
    );
  }
}

/**
 * Reads a whole stream (a Node stream, a web ReadableStream or any async iterable of chunks) into
 * one buffer, refusing it as soon as it passes `maxBytes`.
 *
 * @throws StanceError INPUT_TOO_LARGE naming `name`.
 */
export async function readAllBytes(
  stream: AsyncIterable<Uint8Array | string>,
  name: string,
  maxBytes: number,
): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += buf.length;
    if (total > maxBytes) {
      // Leaving the loop early closes the stream (return() on its iterator).
      throw tooLarge(name, undefined, maxBytes);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total);
}

/** Reads `path` (or stdin for `-`) as raw bytes with the size limit applied. */
export async function readInputBytes(path: string, options: ReadInputOptions = {}): Promise<Uint8Array> {
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (path === '-') {
    return readAllBytes(options.stdin ?? process.stdin, options.stdinName ?? 'stdin', max);
  }
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) {
      throw new StanceError('FILE_NOT_FOUND', `expected a file at ${path}; found a directory`, {
        file: path,
      });
    }
    size = st.size;
  } catch (e) {
    if (e instanceof StanceError) throw e;
    throw notFound(path, e);
  }
  // Refuse before reading anything: a 50 MB file is rejected from its size alone.
  if (size > max) throw tooLarge(path, size, max);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw notFound(path, e);
  }
  try {
    // Read at most max+1 bytes: guards against files that grow (or special files with size 0).
    // Straight into one buffer the size of the file; it grows only if the file does.
    let buf = Buffer.allocUnsafe(Math.min(max + 1, Math.max(size + 1, 64 * 1024)));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, total, buf.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > max) throw tooLarge(path, undefined, max);
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}

function notFound(path: string, e: unknown): StanceError {
  const code = (e as { code?: unknown } | null)?.code;
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : e instanceof Error
          ? e.message
          : String(e);
  return new StanceError(
    'FILE_NOT_FOUND',
    `cannot read ${path}; expected a readable file, found ${why}`,
    {
      file: path,
    },
    { cause: e },
  );
}

/**
 * Reads `path` (or stdin for `-`) as UTF-8 text.
 *
 * @throws StanceError FILE_NOT_FOUND, INPUT_TOO_LARGE or INPUT_ENCODING, each naming the path.
 */
export async function readInput(path: string, options: ReadInputOptions = {}): Promise<string> {
  const bytes = await readInputBytes(path, options);
  return decodeUtf8(bytes, path === '-' ? (options.stdinName ?? 'stdin') : path);
}

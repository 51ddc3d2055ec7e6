/**
 * Reading and writing model files: gzip-compressed JSON documents (see core/model/model-schema.ts
 * for the format and its checks). The only module that touches model files on disk. Reading is
 * bounded before anything is decoded: only regular files, at most MODEL_FILE_LIMITS.maxFileBytes
 * on disk, and gunzip stops as soon as the output passes a cap proportional to the file's size,
 * so a gzip bomb or /dev/zero fails fast with little memory.
 */
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { StanceError } from '../../core/errors.js';
import { decodeModel, encodeModel, type Model } from '../../core/model/model.js';
import { writeFileAtomic } from './write-atomic.js';

/** The shipped model, trained on all of the FNC-1 training data. */
export const DEFAULT_MODEL_PATH = fileURLToPath(
  new URL('../../../models/stancecheck-fnc1.model', import.meta.url),
);

const MB = 1024 * 1024;

/**
 * Size caps of a model file. Models are mostly base64 of float arrays, which gzip shrinks by
 * about 2× (the shipped model: 2.3 MB on disk, 4.3 MB of JSON), so a model of 30 MB on disk fits
 * easily; 16× the file size (at least 8 MB, at most 256 MB) of JSON is far more than any real
 * model needs and far less than a gzip bomb's 1000×.
 */
export const MODEL_FILE_LIMITS = {
  maxFileBytes: 64 * MB,
  maxJsonBytes: 256 * MB,
  minJsonBytes: 8 * MB,
  maxExpansion: 16,
} as const;

/** The cap on the decompressed size of a model file of `fileBytes` bytes. */
export function maxJsonBytes(fileBytes: number): number {
  const L = MODEL_FILE_LIMITS;
  return Math.min(L.maxJsonBytes, Math.max(L.minJsonBytes, L.maxExpansion * fileBytes));
}

function invalid(path: string, message: string, cause?: unknown): StanceError {
  return new StanceError(
    'MODEL_INVALID',
    `${path} is not a stancecheck model: ${message}`,
    { file: path },
    { cause },
  );
}

function kindOf(st: {
  isDirectory(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
}): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

const mb = (n: number): string => `${(n / MB).toFixed(1)} MB`;

/** Reads the bytes of a model file: a regular file no larger than the cap. */
async function readModelBytes(path: string): Promise<Buffer> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw invalid(path, `expected a regular file, found ${kindOf(st)}`);
    size = st.size;
  } catch (e) {
    if (e instanceof StanceError) throw e;
    throw new StanceError(
      'MODEL_NOT_FOUND',
      `no model file at ${path}; expected a file written by \`stancecheck train\``,
      { file: path },
      { cause: e },
    );
  }
  const max = MODEL_FILE_LIMITS.maxFileBytes;
  if (size > max) throw invalid(path, `expected at most ${mb(max)}, found ${mb(size)}`);
  // O_NONBLOCK: if the path was swapped for a FIFO since stat, opening it does not wait for a writer.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: unknown) => {
    throw new StanceError(
      'MODEL_NOT_FOUND',
      `cannot open the model file ${path}: ${(e as Error).message}`,
      { file: path },
      { cause: e },
    );
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw invalid(path, `expected a regular file, found ${kindOf(st)}`);
    // Read at most max + 1 bytes, in case the file grew since stat.
    const buf = Buffer.alloc(Math.min(st.size, max) + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === buf.length) {
        if (total > max) throw invalid(path, `expected at most ${mb(max)}, found more`);
        break; // the file grew since stat: the model is read as it was then
      }
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}

/** Gunzips (when gzip) and parses the JSON of a model file, within the decompression cap. */
function parseModelBytes(path: string, bytes: Buffer): unknown {
  let text: string;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const cap = maxJsonBytes(bytes.length);
    try {
      text = gunzipSync(bytes, { maxOutputLength: cap }).toString('utf8');
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw invalid(
          path,
          `expected at most ${mb(cap)} of JSON from ${mb(bytes.length)} of gzip, found more (a damaged file or a gzip bomb)`,
          e,
        );
      }
      throw invalid(path, `expected valid gzip data, found ${(e as Error).message}`, e);
    }
  } else {
    text = bytes.toString('utf8');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(
      path,
      `expected gzip-compressed JSON, found ${bytes[0] === 0x1f ? 'gzip of text that is not JSON' : 'neither gzip nor JSON'} (${(e as Error).message})`,
      e,
    );
  }
}

/** Loads and checks a model file (default: the shipped model). */
export async function loadModel(
  path: string = process.env.STANCECHECK_MODEL ?? DEFAULT_MODEL_PATH,
): Promise<Model> {
  const json = parseModelBytes(path, await readModelBytes(path));
  try {
    return decodeModel(json);
  } catch (e) {
    if (e instanceof StanceError) {
      throw new StanceError(e.code, `${path}: ${e.message}`, { file: path }, { cause: e });
    }
    throw e;
  }
}

/** Writes a model file atomically (the project's one atomic writer). Returns its size in bytes. */
export async function saveModel(model: Model, path: string): Promise<number> {
  const bytes = gzipSync(JSON.stringify(encodeModel(model)), { level: 9 });
  await writeFileAtomic(path, bytes);
  return bytes.byteLength;
}

/**
 * Reading and writing model files: gzip-compressed JSON documents (see core/model/model.ts for
 * the format and its version check). The only module that touches model files on disk.
 */
import { readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { StanceError } from '../../core/errors.js';
import { decodeModel, encodeModel, type Model } from '../../core/model/model.js';

/** The shipped model, trained on all of the FNC-1 training data. */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL('../../../models/stancecheck-fnc1.model', import.meta.url));

/** Loads and checks a model file (default: the shipped model). */
export async function loadModel(path: string = process.env.STANCECHECK_MODEL ?? DEFAULT_MODEL_PATH): Promise<Model> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new StanceError('MODEL_NOT_FOUND', `stancecheck: no model file at ${path}; expected a file written by \`stancecheck train\``, { file: path }, { cause: e });
  }
  let json: unknown;
  try {
    const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    json = JSON.parse(text);
  } catch (e) {
    throw new StanceError('MODEL_INVALID', `stancecheck: ${path} is not a stancecheck model; expected gzip-compressed JSON`, { file: path }, { cause: e });
  }
  try {
    return decodeModel(json);
  } catch (e) {
    if (e instanceof StanceError) {
      throw new StanceError(e.code, `${e.message} (file: ${path})`, { file: path }, { cause: e });
    }
    throw e;
  }
}

/** Writes a model file atomically (temp file + rename). Returns its size in bytes. */
export async function saveModel(model: Model, path: string): Promise<number> {
  const bytes = gzipSync(JSON.stringify(encodeModel(model)), { level: 9 });
  const tmp = join(dirname(path), `.${Date.now()}-${process.pid}.model.tmp`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new StanceError('OUTPUT_FAILED', `stancecheck: could not write the model to ${path}: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  return bytes.byteLength;
}

/**
 * Writes an output file atomically: everything goes to a temporary file in the same directory,
 * which is renamed over the target only when writing succeeded. A failed batch therefore leaves
 * no partial output, and the temporary file is removed. `-` writes to stdout instead.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { StanceError, isStanceError } from '../../core/errors.js';

/** A sink to write output chunks to; `write` waits when the stream needs to drain. */
export interface OutputSink {
  write(chunk: string | Uint8Array): Promise<void>;
}

function outputFailed(path: string, e: unknown): StanceError {
  const why = e instanceof Error ? e.message : String(e);
  return new StanceError(
    'OUTPUT_FAILED',
    `stancecheck: cannot write ${path}; expected a writable file, found: ${why}`,
    {
      file: path,
    },
    { cause: e },
  );
}

async function writeTo(stream: NodeJS.WritableStream, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/**
 * Calls `produce` with a sink; its output lands at `path` only if `produce` resolves.
 *
 * @example
 * await writeAtomic('out.csv', async (out) => { await out.write('Headline,Body ID,Stance\n'); });
 * @throws StanceError OUTPUT_FAILED when the file cannot be written; errors from `produce` pass
 * through unchanged (after the temporary file is removed).
 */
export async function writeAtomic(
  path: string,
  produce: (sink: OutputSink) => Promise<void>,
  options: { stdout?: NodeJS.WritableStream } = {},
): Promise<void> {
  if (path === '-') {
    const out = options.stdout ?? process.stdout;
    await produce({ write: (chunk) => writeTo(out, chunk) });
    return;
  }
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw outputFailed(path, new Error('it is a directory'));
  } catch (e) {
    if (isStanceError(e)) throw e;
    // ENOENT is the normal case: the file does not exist yet.
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let stream: WriteStream;
  let streamError: unknown;
  try {
    stream = createWriteStream(tmp, { flags: 'wx' });
    stream.on('error', (e) => {
      streamError = e;
    });
    await once(stream, 'open');
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw outputFailed(path, e);
  }
  try {
    await produce({
      write: async (chunk) => {
        if (streamError) throw outputFailed(path, streamError);
        try {
          await writeTo(stream, chunk);
        } catch (e) {
          throw outputFailed(path, e);
        }
      },
    });
    stream.end();
    await once(stream, 'finish');
    if (streamError) throw outputFailed(path, streamError);
    await new Promise<void>((resolve) => stream.close(() => resolve()));
    try {
      await rename(tmp, path);
    } catch (e) {
      throw outputFailed(path, e);
    }
  } catch (e) {
    stream.destroy();
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Writes a whole string or byte array atomically (see {@link writeAtomic}). */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await writeAtomic(path, (sink) => sink.write(content));
}

/**
 * Writes an output file atomically: everything goes to a temporary file in the same directory,
 * which is renamed over the target only when writing succeeded. A failed batch therefore leaves
 * no partial output, and the temporary file is removed. `-` writes to stdout instead.
 *
 * The target must be a regular file (or not exist yet): a directory, FIFO, device or socket is
 * refused, and so is a target that is one of the run's input files (the same inode, which also
 * catches hard links and symlinks). A symlink to a regular file is written through: the link
 * stays and its target gets the new content.
 *
 * Temporary files are named `.NAME.PID.RANDOM.tmp`. SIGINT, SIGTERM and SIGHUP remove them before
 * the process ends with that signal. A process killed with SIGKILL cannot clean up, so every
 * write first removes the temporary files of the same target whose PID is no longer running.
 */
import { createWriteStream, unlinkSync, type Stats, type WriteStream } from 'node:fs';
import { readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { StanceError } from '../../core/errors.js';

/** A sink to write output chunks to; `write` waits when the stream needs to drain. */
export interface OutputSink {
  write(chunk: string | Uint8Array): Promise<void>;
}

/** Options of {@link writeAtomic}. */
export interface WriteAtomicOptions {
  /** Where `-` writes. Default `process.stdout`. */
  stdout?: NodeJS.WritableStream;
  /** The run's input files: the output must not be any of them (else OUTPUT_FAILED). */
  inputs?: readonly string[];
}

function outputFailed(path: string, e: unknown): StanceError {
  const why = e instanceof Error ? e.message : String(e);
  return new StanceError(
    'OUTPUT_FAILED',
    `cannot write ${path}; expected a writable file, found: ${why}`,
    {
      file: path,
    },
    { cause: e },
  );
}

async function writeTo(stream: NodeJS.WritableStream, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Temporary files of this process not yet renamed or removed. */
const liveTemps = new Set<string>();
const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function removeLiveTemps(): void {
  for (const t of liveTemps) {
    try {
      unlinkSync(t);
    } catch {
      // already gone
    }
  }
  liveTemps.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLiveTemps();
  untrackSignals();
  // Die of the same signal (exit status 128+n), as the default action would have.
  process.kill(process.pid, signal);
}

function trackSignals(): void {
  for (const sig of CLEANUP_SIGNALS) process.on(sig, onSignal);
  process.on('exit', removeLiveTemps);
}

function untrackSignals(): void {
  for (const sig of CLEANUP_SIGNALS) process.removeListener(sig, onSignal);
  process.removeListener('exit', removeLiveTemps);
}

function track(tmp: string): void {
  if (liveTemps.size === 0) trackSignals();
  liveTemps.add(tmp);
}

function untrack(tmp: string): void {
  if (!liveTemps.delete(tmp)) return;
  if (liveTemps.size === 0) untrackSignals();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `.NAME.PID.RANDOM.tmp` files next to `target` left by processes that no longer run. */
async function removeStaleTemps(target: string): Promise<void> {
  const dir = dirname(target);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isRunning(pid)) continue;
    await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/**
 * Resolves where `path` is written: the file itself, or the file a symlink points to.
 *
 * @throws StanceError OUTPUT_FAILED when the target exists and is not a regular file, or is one of
 * `inputs`.
 */
async function resolveTarget(path: string, inputs: readonly string[]): Promise<string> {
  const st = await statOrUndefined(path);
  if (st === undefined) return path; // the normal case: the file does not exist yet
  if (!st.isFile()) {
    throw new StanceError(
      'OUTPUT_FAILED',
      `cannot write ${path}; expected a regular file or a new path, found ${kindOf(st)}${st.isDirectory() ? '' : ' (use --out - to write to stdout)'}`,
      { file: path },
    );
  }
  for (const input of inputs) {
    if (input === '-') continue;
    const ist = await statOrUndefined(input);
    if (ist !== undefined && ist.dev === st.dev && ist.ino === st.ino) {
      throw new StanceError(
        'OUTPUT_FAILED',
        `cannot write ${path}; expected an output file that is not one of the inputs, found the same file as the input ${input} (it is left unchanged)`,
        { file: path },
      );
    }
  }
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

/**
 * Calls `produce` with a sink; its output lands at `path` only if `produce` resolves.
 *
 * @example
 * await writeAtomic('out.csv', async (out) => { await out.write('Headline,Body ID,Stance\n'); });
 * @throws StanceError OUTPUT_FAILED when the file cannot be written, is not a regular file or is
 * one of `options.inputs`; errors from `produce` pass through unchanged (after the temporary file
 * is removed).
 */
export async function writeAtomic(
  path: string,
  produce: (sink: OutputSink) => Promise<void>,
  options: WriteAtomicOptions = {},
): Promise<void> {
  if (path === '-') {
    const out = options.stdout ?? process.stdout;
    await produce({ write: (chunk) => writeTo(out, chunk) });
    return;
  }
  const target = await resolveTarget(path, options.inputs ?? []);
  await removeStaleTemps(target);
  const tmp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  let stream: WriteStream;
  let streamError: unknown;
  try {
    track(tmp);
    stream = createWriteStream(tmp, { flags: 'wx' });
    stream.on('error', (e) => {
      streamError = e;
    });
    await once(stream, 'open');
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    untrack(tmp);
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
      await rename(tmp, target);
    } catch (e) {
      throw outputFailed(path, e);
    }
    untrack(tmp);
  } catch (e) {
    stream.destroy();
    await rm(tmp, { force: true }).catch(() => undefined);
    untrack(tmp);
    throw e;
  }
}

/** Writes a whole string or byte array atomically (see {@link writeAtomic}). */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: WriteAtomicOptions = {},
): Promise<void> {
  await writeAtomic(path, (sink) => sink.write(content), options);
}

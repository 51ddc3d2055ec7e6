/**
 * Starting a worker thread from a module next to its caller, and StanceErrors coming back across
 * the thread boundary: shared by the worker pool (pool.ts) and the HTTP server's corpus threads.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { StanceError } from '../../core/errors.js';
import type { WireError } from './protocol.js';

const IS_TS = import.meta.url.endsWith('.ts');

/**
 * Starts the thread whose entry is `entry` (the built `.js` module's URL). Under tsx (tests, bench)
 * the `.ts` source is loaded instead: Node 20 workers ignore `--import tsx` for a .ts entry, so the
 * thread registers tsx first.
 */
export function spawnThread(entry: URL, options: WorkerOptions): Worker {
  if (!IS_TS) return new Worker(entry, options);
  const source = entry.href.replace(/\.js$/, '.ts');
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** The StanceError a thread reported. */
export function fromWire(e: WireError): StanceError {
  const { code, message, ...context } = e;
  return new StanceError(code, message, context);
}

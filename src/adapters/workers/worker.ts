/**
 * A worker thread of the {@link WorkerPool}: loads its own model, then runs one task at a time.
 * Tasks are synchronous, so a long one occupies only this thread; the pool terminates it on timeout.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Checker } from '../../core/checker.js';
import { StanceError, toStanceError } from '../../core/errors.js';
import type { TaskMessage, WireError, WorkerInit, WorkerMessage } from './protocol.js';
import { createTaskRunner } from './tasks.js';

function wire(e: unknown): WireError {
  return toStanceError(e).toJSON();
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new StanceError('INTERNAL', 'worker.ts must run as a worker thread');
  const init = workerData as WorkerInit;
  let checker: Checker;
  try {
    const mod = (await import(init.loaderUrl)) as { loadChecker: (path?: string) => Promise<Checker> };
    checker = await mod.loadChecker(init.modelPath);
  } catch (e) {
    port.postMessage({ type: 'fatal', error: wire(e) } satisfies WorkerMessage);
    return;
  }
  const run = createTaskRunner(checker);
  port.on('message', (msg: TaskMessage) => {
    let reply: WorkerMessage;
    try {
      reply = { type: 'result', id: msg.id, result: run(msg.task) };
    } catch (e) {
      reply = { type: 'error', id: msg.id, error: wire(e) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ type: 'ready', card: checker.card } satisfies WorkerMessage);
}

await main();

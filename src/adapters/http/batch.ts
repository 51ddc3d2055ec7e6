/**
 * POST /v1/batch: NDJSON in, NDJSON out. Lines are checked on the worker pool a window at a time
 * and streamed back in input order; each bad line gets its own error line. A full queue makes a
 * line wait and retry (it is not the line's fault); the client going away drops the lines not yet
 * started; and the whole request has a time budget, after which the stream ends with one error
 * line and no more lines are started.
 */
import { StanceError, toStanceError } from '../../core/errors.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { decodeLine, parseJson, toTask } from './request.js';
import type { Runner } from './app.js';

/** Limits of one batch request. */
export interface BatchLimits {
  /** Largest single line, bytes. */
  maxLineBytes: number;
  /** Most non-blank lines. */
  maxLines: number;
  /** Lines in flight at once. */
  window: number;
  /** A line waiting for room in a full queue gives up after this many ms. */
  lineTimeoutMs: number;
  /** The whole request, ms: after this the stream ends with a TIMEOUT line. */
  totalTimeoutMs: number;
}

export interface BatchDeps {
  runner: Runner;
  logger: Logger;
  metrics: Metrics;
  limits: BatchLimits;
  requestId: string;
  isShuttingDown: () => boolean;
  /** Aborts when the client goes away. */
  clientGone: AbortSignal;
}

interface Line {
  /** 1-based line number in the request. */
  n: number;
  /** Byte offset of the line in the request body. */
  offset: number;
  bytes: Buffer;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The non-blank lines of an NDJSON body. */
export function splitLines(body: Buffer, maxLines: number): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let n = 0;
  while (start <= body.length) {
    let end = body.indexOf(0x0a, start);
    if (end < 0) end = body.length;
    n++;
    const bytes = body.subarray(start, end);
    if (bytes.some((b) => b !== 0x20 && b !== 0x09 && b !== 0x0d)) lines.push({ n, offset: start, bytes });
    start = end + 1;
  }
  if (lines.length === 0)
    throw new StanceError('INPUT_EMPTY', 'batch is empty; expected one JSON object per line');
  if (lines.length > maxLines)
    throw new StanceError(
      'INPUT_TOO_LARGE',
      `batch has ${lines.length} lines; the limit is ${maxLines} per request`,
    );
  return lines;
}

/** Streams the answers to `lines` as an NDJSON response. */
export function batchResponse(lines: readonly Line[], deps: BatchDeps): Response {
  const { runner, logger, metrics, limits, requestId } = deps;
  const started = performance.now();
  // Aborted when the client goes away or the budget runs out: queued lines leave the pool's queue.
  const stop = new AbortController();
  const onGone = () => stop.abort(new StanceError('TIMEOUT', 'the client closed the connection'));
  deps.clientGone.addEventListener('abort', onGone, { once: true });
  let ok = 0;
  let failed = 0;
  let emitted = 0;

  const runLine = async (line: Line): Promise<string> => {
    const head = (id: unknown) => (id === undefined ? { line: line.n } : { line: line.n, id });
    let id: unknown;
    try {
      if (line.bytes.byteLength > limits.maxLineBytes) {
        throw new StanceError(
          'INPUT_TOO_LARGE',
          `line is ${line.bytes.byteLength} bytes; the limit is ${limits.maxLineBytes}`,
        );
      }
      const value = parseJson(decodeLine(line.bytes, line.n, line.offset), `line ${line.n}`);
      if (typeof value === 'object' && value !== null && 'id' in value) {
        const v = value.id;
        if (typeof v === 'string' || typeof v === 'number') id = v;
      }
      const json = await runWithRetry(toTask(value, false));
      ok++;
      metrics.observeBatchLine('ok');
      return `${JSON.stringify(head(id)).slice(0, -1)},"result":${json}}\n`;
    } catch (e) {
      const err = toStanceError(e);
      failed++;
      metrics.observeBatchLine('error');
      metrics.observeError(err.code, 'batch_line');
      return `${JSON.stringify({ ...head(id), error: err.toJSON() })}\n`;
    }
  };

  // A full queue is not the line's fault: wait for room (backing off) rather than fail it.
  const runWithRetry = async (task: ReturnType<typeof toTask>) => {
    const deadline = performance.now() + limits.lineTimeoutMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      try {
        return await runner.run(task, { signal: stop.signal });
      } catch (e) {
        const retry =
          e instanceof StanceError &&
          e.code === 'OVERLOADED' &&
          !stop.signal.aborted &&
          !deps.isShuttingDown();
        if (!retry || performance.now() + wait > deadline) throw e;
        await sleep(wait);
      }
    }
  };

  let budgetTimer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<'timeout'>((resolve) => {
    budgetTimer = setTimeout(() => resolve('timeout'), limits.totalTimeoutMs);
  });
  const finish = () => {
    clearTimeout(budgetTimer);
    deps.clientGone.removeEventListener('abort', onGone);
  };

  const encoder = new TextEncoder();
  const inflight: Promise<string>[] = [];
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      while (inflight.length < limits.window && next < lines.length) {
        const line = lines[next++];
        if (line) inflight.push(runLine(line));
      }
      const head = inflight.shift();
      if (!head) {
        finish();
        controller.close();
        logger.log('info', 'batch done', {
          requestId,
          lines: lines.length,
          ok,
          failed,
          ms: Math.round(performance.now() - started),
        });
        return;
      }
      const out = await Promise.race([head, outOfTime]);
      if (out !== 'timeout') {
        emitted++;
        controller.enqueue(encoder.encode(out));
        return;
      }
      // Out of time: start nothing more, drop what is queued, end with one error line.
      next = lines.length;
      const err = new StanceError(
        'TIMEOUT',
        `the batch took longer than its ${limits.totalTimeoutMs} ms budget; lines after the last answered one were not checked (send them again in a smaller batch)`,
      );
      stop.abort(err);
      finish();
      metrics.observeError(err.code, 'request');
      logger.log('warn', 'batch out of time', {
        requestId,
        lines: lines.length,
        answered: emitted,
        ms: Math.round(performance.now() - started),
      });
      controller.enqueue(encoder.encode(`${JSON.stringify({ error: err.toJSON() })}\n`));
      controller.close();
    },
    cancel() {
      next = lines.length; // client went away: start no more lines
      stop.abort(new StanceError('TIMEOUT', 'the client closed the connection'));
      finish();
      logger.log('info', 'batch cancelled by client', { requestId, done: ok + failed, lines: lines.length });
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'no-store' },
  });
}

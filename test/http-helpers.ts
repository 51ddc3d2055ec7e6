/**
 * Shared set-up for the HTTP tests: which model to load and how to start a server on a free
 * loopback port.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer, type ServerOptions } from '../src/adapters/http/server.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * The model the HTTP tests load: $STANCECHECK_TEST_MODEL, else the tiny fixture model in
 * test/fixtures, else the bundled model. Undefined when there is none (tests then skip).
 */
export function testModelPath(): string | undefined {
  const env = process.env.STANCECHECK_TEST_MODEL;
  if (env) return env;
  const found = existsSync(FIXTURES) ? readdirSync(FIXTURES).find((f) => f.endsWith('.model')) : undefined;
  if (found) return `${FIXTURES}${found}`;
  const bundled = existsSync(`${ROOT}models`)
    ? readdirSync(`${ROOT}models`).find((f) => f.endsWith('.model'))
    : undefined;
  return bundled ? `${ROOT}models/${bundled}` : undefined;
}

/** The bundled model (models/*.model) when it is there: the e2e test shows real verdicts with it. */
export function bundledModelPath(): string | undefined {
  const bundled = existsSync(`${ROOT}models`)
    ? readdirSync(`${ROOT}models`).find((f) => f.endsWith('.model'))
    : undefined;
  return bundled ? `${ROOT}models/${bundled}` : undefined;
}

/** Why the HTTP tests are skipped, or false when they can run. */
export const SKIP_NO_MODEL: string | false = testModelPath()
  ? false
  : 'no model found: set STANCECHECK_TEST_MODEL or add a *.model file to test/fixtures/';

/** Starts a server on 127.0.0.1 with a free port, two workers and the test model. */
export function startTestServer(opts: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', workers: 2, model: testModelPath(), ...opts });
}

/** POSTs JSON (or a raw string/bytes) and returns status, headers and parsed JSON body. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<Reply> {
  const payload: string | Uint8Array<ArrayBuffer> =
    typeof body === 'string'
      ? body
      : body instanceof Uint8Array
        ? new Uint8Array(body)
        : JSON.stringify(body);
  return readResponse(await fetch(url, { method: 'POST', body: payload, headers }));
}

/** GETs a URL and returns status, headers and parsed JSON body. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return readResponse(await fetch(url, { headers }));
}

type Reply = { status: number; headers: Headers; json: unknown; text: string };

/** Status, headers, text and the JSON body (undefined when the body is not JSON). */
async function readResponse(res: Response): Promise<Reply> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** The `error` object of an error response body. */
export function errorOf(json: unknown): { code: string; message: string; field?: string } {
  const e = (json as { error?: { code: string; message: string; field?: string } } | undefined)?.error;
  if (!e) throw new Error(`expected an error body; got ${JSON.stringify(json)}`);
  return e;
}

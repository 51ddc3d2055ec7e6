/**
 * Reading a request at the edge: Content-Type, the body under a byte limit, strict UTF-8 (errors
 * give the byte offset, like the CLI's), JSON, and the one validate-and-normalise step
 * ({@link toArticle}) that turns a request object into a worker task.
 */
import { toArticle } from '../../core/article.js';
import { StanceError } from '../../core/errors.js';
import { findInvalidUtf8 } from '../fs/read-input.js';
import type { CheckTask, HtmlTask } from '../workers/protocol.js';

/** Checks the Content-Type's media type and that any charset is UTF-8. */
export function requireContentType(header: string | undefined, accepted: ReadonlySet<string>, expected: string): void {
  const [type = '', ...params] = (header ?? '').split(';').map((s) => s.trim().toLowerCase());
  if (!accepted.has(type)) {
    throw new StanceError('USAGE', `expected Content-Type ${expected}; got ${header ? header : 'none'}`, { field: 'content-type' });
  }
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new StanceError('INPUT_ENCODING', `only UTF-8 is accepted; got charset=${charset}`, { field: 'content-type' });
  }
}

/** Reads the raw body, refusing it as soon as it passes `limit` bytes. */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const tooLarge = (size: string) => new StanceError('INPUT_TOO_LARGE', `request body is ${size}; the limit is ${limit} bytes`);
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(`${declared} bytes`);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(`over ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decodes strict UTF-8. `where` names the input ("request body", "line 3"); `offset` is where
 * `bytes` starts in the request body, so the error gives the byte offset in the request.
 */
export function decodeUtf8(bytes: Uint8Array, where: string, offset = 0): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const at = findInvalidUtf8(bytes);
    const found = at ? `byte 0x${(bytes[at.offset] ?? 0).toString(16).padStart(2, '0')} at byte ${offset + at.offset} of the request body` : 'invalid bytes';
    throw new StanceError('INPUT_ENCODING', `${where} is not valid UTF-8; expected UTF-8 text, found ${found}`);
  }
}

/** Parses JSON text. */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new StanceError('INPUT_FORMAT', `${where} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Validates one request object (a /v1/check body or a batch line) and turns it into a task:
 * `{"html"}` becomes an html task; anything else goes through {@link toArticle}.
 */
export function toTask(value: unknown, sentences: boolean): CheckTask | HtmlTask {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'html' in value) {
    const obj = value as Record<string, unknown>;
    if ('body' in obj || 'headline' in obj) {
      throw new StanceError('INPUT_FORMAT', 'give either "html" or "headline" and "body", not both', { field: 'html' });
    }
    const html = obj.html;
    if (typeof html !== 'string') {
      throw new StanceError('INPUT_FORMAT', `field "html" must be a string; got ${html === null ? 'null' : Array.isArray(html) ? 'an array' : `a ${typeof html}`}`, { field: 'html' });
    }
    if (html.trim() === '') throw new StanceError('INPUT_EMPTY', 'expected a non-empty "html"; found an empty string', { field: 'html' });
    return { kind: 'html', html, sentences };
  }
  return { kind: 'check', article: toArticle(value), sentences };
}

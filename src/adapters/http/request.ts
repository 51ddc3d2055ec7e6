/**
 * Reading a request at the edge: Content-Type, the body under a byte limit, strict UTF-8 (errors
 * give the byte offset, like the CLI's), JSON, and the one validate-and-normalise step
 * ({@link toArticle}) that turns a request object into a worker task.
 */
import { toArticle } from '../../core/article.js';
import { StanceError } from '../../core/errors.js';
import { decodeUtf8, findInvalidUtf8, readAllBytes } from '../fs/read-input.js';
import type { CheckTask, HtmlTask } from '../workers/protocol.js';

/** Checks the Content-Type's media type and that any charset is UTF-8. */
export function requireContentType(
  header: string | undefined,
  accepted: ReadonlySet<string>,
  expected: string,
): void {
  const [type = '', ...params] = (header ?? '').split(';').map((s) => s.trim().toLowerCase());
  if (!accepted.has(type)) {
    throw new StanceError('USAGE', `expected Content-Type ${expected}; got ${header ? header : 'none'}`, {
      field: 'content-type',
    });
  }
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new StanceError('INPUT_ENCODING', `only UTF-8 is accepted; got charset=${charset}`, {
      field: 'content-type',
    });
  }
}

/** Reads the raw body (the CLI's {@link readAllBytes}), refusing it as soon as it passes `limit` bytes. */
export async function readBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new StanceError(
      'INPUT_TOO_LARGE',
      `request body is too large; expected at most ${limit} bytes, found ${declared} bytes (Content-Length)`,
    );
  }
  if (!req.body) return Buffer.alloc(0);
  const bytes = await readAllBytes(req.body, 'request body', limit);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes a whole request body with the CLI's strict decoder (its errors give the byte offset and line). */
export function decodeBody(bytes: Uint8Array): string {
  return decodeUtf8(bytes, 'request body', { hint: 'send UTF-8' });
}

/**
 * Decodes one batch line. The offset in the error is the bad byte's offset in the request body
 * (`offset` is where the line starts), found with the CLI's {@link findInvalidUtf8}.
 */
export function decodeLine(bytes: Uint8Array, n: number, offset: number): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const at = findInvalidUtf8(bytes);
    const found = at
      ? `byte 0x${(bytes[at.offset] ?? 0).toString(16).padStart(2, '0')} at byte ${offset + at.offset} of the request body`
      : 'invalid bytes';
    throw new StanceError(
      'INPUT_ENCODING',
      `line ${n} is not valid UTF-8; expected UTF-8 text, found ${found}`,
      { row: n },
    );
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Parses JSON text. */
export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new StanceError(
      'INPUT_FORMAT',
      `${where} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
    );
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
      throw new StanceError('INPUT_FORMAT', 'give either "html" or "headline" and "body", not both', {
        field: 'html',
      });
    }
    const html = obj.html;
    if (typeof html !== 'string') {
      throw new StanceError(
        'INPUT_FORMAT',
        `field "html" must be a string; got ${html === null ? 'null' : Array.isArray(html) ? 'an array' : `a ${typeof html}`}`,
        { field: 'html' },
      );
    }
    if (html.trim() === '')
      throw new StanceError('INPUT_EMPTY', 'expected a non-empty "html"; found an empty string', {
        field: 'html',
      });
    return { kind: 'html', html, sentences };
  }
  return { kind: 'check', article: toArticle(value), sentences };
}

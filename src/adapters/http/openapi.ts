import { z } from 'zod';
import {
  BatchLine,
  BatchResultLine,
  CheckQuery,
  CheckRequest,
  ErrorResponse,
  Health,
  ModelInfo,
  registry,
  VerdictSchema,
} from './schemas.js';

type Schema = z.ZodType;

/** One route as documented: the server implements exactly these. */
export interface RouteSpec {
  method: 'get' | 'post';
  path: string;
  summary: string;
  query?: z.ZodObject;
  request?: { contentType: string; schema: Schema; description?: string };
  responses: Record<number, { description: string; contentType: string; schema: Schema }>;
}

const JSON_TYPE = 'application/json';
const NDJSON_TYPE = 'application/x-ndjson';
const err = (description: string) => ({ description, contentType: JSON_TYPE, schema: ErrorResponse });
const commonErrors = {
  400: err(
    'Bad input: invalid JSON, wrong types, missing or empty fields, invalid UTF-8, wrong Content-Type (codes INPUT_FORMAT, INPUT_EMPTY, INPUT_ENCODING, USAGE).',
  ),
  405: err('Wrong method for this route (METHOD_NOT_ALLOWED); the Allow header lists the right ones.'),
  413: err('The request body or the batch is larger than the limit (INPUT_TOO_LARGE).'),
  503: err('Too much work queued (OVERLOADED); retry after the Retry-After header.'),
  504: err('The check took longer than the per-request timeout (TIMEOUT).'),
};

/** Every route of the server. */
export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/check',
    summary: 'Check whether an article backs its headline (and subtitle).',
    query: CheckQuery,
    request: { contentType: JSON_TYPE, schema: CheckRequest },
    responses: {
      200: { description: 'The verdict.', contentType: JSON_TYPE, schema: VerdictSchema },
      ...commonErrors,
    },
  },
  {
    method: 'post',
    path: '/v1/batch',
    summary:
      'Check many articles: NDJSON in, NDJSON out (streamed, in input order; one result or error per line).',
    request: {
      contentType: NDJSON_TYPE,
      schema: BatchLine,
      description: 'One BatchLine JSON object per line. Also accepted: application/jsonl.',
    },
    responses: {
      200: {
        description: 'One BatchResultLine per non-blank input line.',
        contentType: NDJSON_TYPE,
        schema: BatchResultLine,
      },
      ...commonErrors,
    },
  },
  {
    method: 'get',
    path: '/v1/model',
    summary: 'The loaded model: name, version and model card figures.',
    responses: { 200: { description: 'Model information.', contentType: JSON_TYPE, schema: ModelInfo } },
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness and load.',
    responses: {
      200: { description: 'Serving.', contentType: JSON_TYPE, schema: Health },
      503: { description: 'Shutting down.', contentType: JSON_TYPE, schema: ErrorResponse },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: requests, latency histogram, errors by code, queue and workers.',
    responses: {
      200: {
        description: 'Prometheus text format 0.0.4.',
        contentType: 'text/plain; version=0.0.4',
        schema: z.string(),
      },
    },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document.',
    responses: {
      200: {
        description: 'OpenAPI 3.1 document.',
        contentType: JSON_TYPE,
        schema: z.looseObject({ openapi: z.string() }),
      },
    },
  },
  {
    method: 'get',
    path: '/',
    summary: 'The web page: paste an article, see the verdict.',
    responses: { 200: { description: 'HTML page.', contentType: 'text/html', schema: z.string() } },
  },
];

const REF_PREFIX = '#/components/schemas/';

function jsonSchema(schema: Schema): unknown {
  const id = registry.get(schema)?.id;
  if (id) return { $ref: `${REF_PREFIX}${id}` };
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any' });
  return rest;
}

/** Builds the OpenAPI 3.1 document from {@link ROUTES} and the registered schemas. */
export function buildOpenApi(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: `${r.method}${r.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    };
    if (r.query) {
      op.parameters = Object.entries(r.query.shape).map(([name, s]) => {
        const { $schema: _ignored, ...schema } = z.toJSONSchema(s as Schema, { io: 'input' });
        return { name, in: 'query', required: false, schema, description: (s as Schema).description };
      });
    }
    if (r.request) {
      op.requestBody = {
        required: true,
        description: r.request.description,
        content: { [r.request.contentType]: { schema: jsonSchema(r.request.schema) } },
      };
    }
    op.responses = Object.fromEntries(
      Object.entries(r.responses).map(([status, resp]) => [
        status,
        {
          description: resp.description,
          content: { [resp.contentType]: { schema: jsonSchema(resp.schema) } },
        },
      ]),
    );
    paths[r.path] = { ...(paths[r.path] ?? {}), [r.method]: op };
  }
  const { schemas } = z.toJSONSchema(registry, { uri: (i) => `${REF_PREFIX}${i}`, unrepresentable: 'any' });
  const components: Record<string, unknown> = {};
  for (const [id, s] of Object.entries(schemas)) {
    const { $schema: _ignored, $id: _id, ...rest } = s as Record<string, unknown>;
    components[id] = rest;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'stancecheck',
      version,
      description:
        'Does a news article back its headline? FNC-1 stance: agree / disagree / discuss / unrelated. Errors are {"error": {"code", "message"}} with a stable code.',
    },
    paths,
    components: { schemas: components },
  };
}

import { z } from 'zod';
import {
  ArticleRecord,
  AuditProgressSchema,
  AuditReportSchema,
  BatchLine,
  BatchResultLine,
  CheckQuery,
  CheckRequest,
  ClaimAnswerSchema,
  AuditQuery,
  ClaimQuery,
  ClaimRequest,
  CorpusStatsSchema,
  ErrorResponse,
  ExportLine,
  Health,
  IngestResponse,
  ModelInfo,
  ReindexResponse,
  registry,
  RemoveRequest,
  RemoveResponse,
  VerdictSchema,
} from './schemas.js';

type Schema = z.ZodType;

/** One route as documented: the server implements exactly these. */
export interface RouteSpec {
  method: 'get' | 'post';
  path: string;
  summary: string;
  /** More words for the document (markdown). */
  description?: string;
  /** A corpus write route: needs `Authorization: Bearer <token>`. */
  auth?: true;
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

const corpusErrors = {
  404: err('The corpus is off on this server (NOT_FOUND): start it with `stancecheck serve --db PATH`.'),
  500: err(
    'The corpus database is damaged or has a newer schema (DB_CORRUPT, DB_VERSION), or a bug (INTERNAL).',
  ),
  503: err(
    'The corpus database cannot be reached (DB_OPEN), or too many corpus requests are waiting (OVERLOADED).',
  ),
};
const authError = {
  401: err('No `Authorization: Bearer <token>` header, or another token (UNAUTHORIZED).'),
};
const corpusJson = (description: string, schema: Schema) => ({
  200: { description, contentType: JSON_TYPE, schema },
});
const JSONL_NOTE =
  'JSONL (`application/x-ndjson` or `application/jsonl`: one ArticleRecord per line) or JSON (`application/json`: one ArticleRecord or an array of them).';

/** The corpus routes (under /v1/corpus/). */
const CORPUS_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/corpus/claim',
    summary:
      'What the stored articles say about a claim: counts, and the articles grouped by stance with evidence.',
    request: { contentType: JSON_TYPE, schema: ClaimRequest },
    responses: {
      ...corpusJson('The coverage of the claim.', ClaimAnswerSchema),
      ...commonErrors,
      ...corpusErrors,
    },
  },
  {
    method: 'get',
    path: '/v1/corpus/claim',
    summary: 'The same as POST /v1/corpus/claim, with the claim in the query string.',
    query: ClaimQuery,
    responses: {
      ...corpusJson('The coverage of the claim.', ClaimAnswerSchema),
      ...commonErrors,
      ...corpusErrors,
    },
  },
  {
    method: 'get',
    path: '/v1/corpus/audit',
    summary:
      'The current audit findings of the whole store (headlines their own body does not support); scores nothing.',
    responses: { ...corpusJson('The findings (`scored` is 0).', AuditReportSchema), ...corpusErrors },
  },
  {
    method: 'post',
    path: '/v1/corpus/audit',
    summary:
      'Runs the audit: scores the articles not yet audited with this model (every article with `redo=true`), looks the older headlines up among the articles stored since their audit, stores the results, then reports every current finding.',
    query: AuditQuery,
    auth: true,
    responses: {
      ...corpusJson('The audit report.', AuditReportSchema),
      202: {
        description:
          'With `background=true`: the audit has started (or waits behind other writes); its progress.',
        contentType: JSON_TYPE,
        schema: AuditProgressSchema,
      },
      ...authError,
      ...corpusErrors,
    },
  },
  {
    method: 'get',
    path: '/v1/corpus/audit/progress',
    summary:
      "How far the server's running audit is (articles scored, older audits refreshed), or the figures of the last one: for a page that shows progress while its POST /v1/corpus/audit waits.",
    responses: { ...corpusJson('The latest audit.', AuditProgressSchema), ...corpusErrors },
  },
  {
    method: 'get',
    path: '/v1/corpus/stats',
    summary: 'What the store holds.',
    responses: { ...corpusJson('Counts and sizes.', CorpusStatsSchema), ...corpusErrors },
  },
  {
    method: 'get',
    path: '/v1/corpus/export',
    summary: 'Every stored article as JSONL (streamed, in storage order): the ingest format plus every id.',
    responses: {
      200: { description: 'One ExportLine per article.', contentType: NDJSON_TYPE, schema: ExportLine },
      ...corpusErrors,
    },
  },
  {
    method: 'post',
    path: '/v1/corpus/ingest',
    summary:
      'Adds articles (idempotent: a text is stored once; a new id for a stored text becomes an alias). Items that are not articles are reported in `summary.rejected` and the rest are stored.',
    auth: true,
    request: { contentType: NDJSON_TYPE, schema: ArticleRecord, description: JSONL_NOTE },
    responses: {
      ...corpusJson('What happened to each article.', IngestResponse),
      ...commonErrors,
      ...authError,
      ...corpusErrors,
    },
  },
  {
    method: 'post',
    path: '/v1/corpus/remove',
    summary: 'Removes ids; an article goes with its last id. 404 (NOT_FOUND) when no id named an article.',
    auth: true,
    request: { contentType: JSON_TYPE, schema: RemoveRequest },
    responses: {
      ...corpusJson('What was removed.', RemoveResponse),
      ...commonErrors,
      ...authError,
      ...corpusErrors,
    },
  },
  {
    method: 'post',
    path: '/v1/corpus/reindex',
    summary: 'Redoes the stored analysis of articles analysed with another model or code version.',
    auth: true,
    responses: {
      ...corpusJson('How many articles were re-analysed.', ReindexResponse),
      ...authError,
      ...corpusErrors,
    },
  },
];

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
    summary: 'The web page: check an article; with the corpus on, ask a claim and see the audit.',
    responses: { 200: { description: 'HTML page.', contentType: 'text/html', schema: z.string() } },
  },
  ...CORPUS_ROUTES,
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
    if (r.description) op.description = r.description;
    if (r.auth) op.security = [{ bearerAuth: [] }];
    if (r.query) {
      op.parameters = Object.entries(r.query.shape).map(([name, s]) => {
        const { $schema: _ignored, ...schema } = z.toJSONSchema(s as Schema, { io: 'input' });
        const required = !(s as Schema).safeParse(undefined).success;
        return { name, in: 'query', required, schema, description: (s as Schema).description };
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
    components: {
      schemas: components,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The corpus write routes need the token the server was started with (`serve --token` or STANCECHECK_TOKEN).',
        },
      },
    },
  };
}

/**
 * The zod schemas of every route, from which /openapi.json is generated. Request objects are
 * validated by `toArticle` (core/article.ts), the one check shared with the CLI and the library;
 * the HTTP tests check that the two agree.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../core/errors.js';
import { LABELS } from '../../core/labels.js';
import { CUES, WARNING_CODES, type WarningCode } from '../../core/verdict.js';

const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** Schemas that appear in the OpenAPI components, by id. */
export const registry = z.registry<{ id: string; description?: string }>();

export const CheckTextRequest = z
  .looseObject({
    headline: z.string().describe('The headline (claim) to check.'),
    subtitle: z
      .string()
      .optional()
      .describe('Optional subtitle or standfirst, checked against the body too.'),
    body: z.string().describe('The article text. Paragraphs separated by blank lines.'),
  })
  .register(registry, {
    id: 'CheckTextRequest',
    description: 'A headline and the article body as plain text.',
  });

export const CheckHtmlRequest = z
  .looseObject({
    html: z
      .string()
      .describe('An article page. Headline from og:title, <h1> or <title>; text extracted with Readability.'),
  })
  .register(registry, { id: 'CheckHtmlRequest', description: "An article page's HTML." });

export const CheckRequest = z
  .union([CheckTextRequest, CheckHtmlRequest])
  .register(registry, { id: 'CheckRequest' });

/** Query string of POST /v1/check. */
export const CheckQuery = z.object({
  sentences: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .describe(
      "When true, the response adds `sentences`: the body's sentences, which evidence indexes refer to.",
    ),
  evidence: z
    .string()
    .optional()
    .describe('How many evidence sentences each verdict lists, 0-50 (default 3).'),
});

export const BatchLine = z
  .union([
    CheckTextRequest.extend({ id: z.union([z.string(), z.number()]).optional() }),
    CheckHtmlRequest.extend({ id: z.union([z.string(), z.number()]).optional() }),
  ])
  .register(registry, { id: 'BatchLine', description: 'One NDJSON input line; `id` is echoed back.' });

const ProbabilitiesSchema = z.object(
  Object.fromEntries(LABELS.map((l) => [l, z.number().min(0).max(1)])) as Record<
    (typeof LABELS)[number],
    z.ZodNumber
  >,
);

export const EvidenceSchema = z
  .object({
    index: z.int().min(0).describe("0-based index into the body's sentences."),
    number: z.int().min(1).describe('The sentence number shown to people and cited in reasons (index + 1).'),
    text: z.string(),
    score: z
      .number()
      .min(0)
      .max(1)
      .describe("How strongly the sentence carries the verdict's label towards the claim."),
    cues: z.array(z.enum(CUES)),
    spans: z
      .array(z.object({ start: z.int().min(0), end: z.int().min(0), cue: z.enum(CUES) }))
      .describe('The words that carry the stance: UTF-16 offsets into `text` (end exclusive).'),
  })
  .register(registry, { id: 'Evidence' });

export const ClaimVerdictSchema = z
  .object({
    claim: z.string(),
    label: z.enum(LABELS),
    probabilities: ProbabilitiesSchema,
    evidence: z.array(EvidenceSchema),
    reason: z.string(),
    language: z
      .string()
      .describe('ISO 639-1 code of the body\'s language ("en", "ru", …), or "und" when too short to tell.'),
    warnings: z
      .array(
        z.object({
          code: z.enum(Object.keys(WARNING_CODES) as [WarningCode, ...WarningCode[]]),
          message: z.string(),
        }),
      )
      .describe('What a reader should know before trusting the verdict (e.g. NOT_ENGLISH); empty when none.'),
  })
  .register(registry, { id: 'ClaimVerdict' });

export const VerdictSchema = ClaimVerdictSchema.extend({
  subtitle: ClaimVerdictSchema.optional(),
  sentenceCount: z.int().min(0),
  sentences: z.array(z.string()).optional().describe("Only with ?sentences=true: the body's sentences."),
  paragraphs: z
    .array(z.int().min(0))
    .optional()
    .describe('Only with ?sentences=true: the 0-based paragraph of each sentence.'),
}).register(registry, { id: 'Verdict', description: 'The same object as `stancecheck check --json`.' });

export const ErrorObject = z
  .object({
    code: z.enum(ERROR_CODE_LIST),
    message: z.string(),
    field: z.string().optional(),
    row: z.int().optional(),
  })
  .register(registry, { id: 'ErrorObject' });

export const ErrorResponse = z.object({ error: ErrorObject }).register(registry, { id: 'ErrorResponse' });

export const BatchResultLine = z
  .union([
    z.object({
      line: z.int().min(1),
      id: z.union([z.string(), z.number()]).optional(),
      result: VerdictSchema,
    }),
    z.object({ line: z.int().min(1), id: z.union([z.string(), z.number()]).optional(), error: ErrorObject }),
  ])
  .register(registry, {
    id: 'BatchResultLine',
    description: 'One NDJSON output line, in input order; `line` is the 1-based input line.',
  });

export const ModelInfo = z
  .object({
    name: z.string(),
    version: z.string(),
    card: z.looseObject({ name: z.string(), version: z.string(), trainedAt: z.string() }),
  })
  .register(registry, {
    id: 'ModelInfo',
    description: 'The loaded model: name, version and its model card (data, figures, command).',
  });

export const Health = z
  .object({
    status: z.enum(['ok', 'shutting-down']),
    workers: z.int(),
    ready: z.int(),
    busy: z.int(),
    queued: z.int(),
    uptimeSeconds: z.number(),
  })
  .register(registry, { id: 'Health' });

export type CheckTextRequestT = z.infer<typeof CheckTextRequest>;

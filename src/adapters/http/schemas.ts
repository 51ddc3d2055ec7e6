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

/** A yes/no query parameter: true, false, 1 or 0. */
function queryFlag(description: string) {
  return z.enum(['true', 'false', '1', '0']).optional().describe(description);
}

/** Whether a {@link queryFlag} parameter says yes. */
export function flagSet(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

/** Query string of POST /v1/check. */
export const CheckQuery = z.object({
  sentences: queryFlag(
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

/* ---------------------------------------------------------------- corpus */

const Label = z.enum(LABELS);
const Counts = z.object(
  Object.fromEntries(LABELS.map((l) => [l, z.int().min(0)])) as Record<(typeof LABELS)[number], z.ZodInt>,
);
const Groups = z.object(
  Object.fromEntries(LABELS.map((l) => [l, z.array(z.string())])) as Record<
    (typeof LABELS)[number],
    z.ZodArray<z.ZodString>
  >,
);

export const ClaimRequest = z
  .object({
    claim: z.string().describe('The claim, e.g. a headline: what the stored articles are asked about.'),
    top: z
      .int()
      .min(1)
      .max(1000)
      .optional()
      .describe('How many articles to return, most related first (default 20).'),
  })
  .register(registry, { id: 'ClaimRequest' });

/** Query string of POST /v1/corpus/audit. */
export const AuditQuery = z.object({
  background: queryFlag(
    "When true, the answer is 202 at once with the audit's progress (AuditProgress) and the audit runs on: GET /v1/corpus/audit/progress follows it, GET /v1/corpus/audit gives its findings once `running` is false. For audits longer than a client or proxy waits for one request.",
  ),
  redo: queryFlag(
    'When true, every stored article is scored again, audited or not, each headline looked up in the whole store afresh (a plain run already looks the older headlines up among the articles stored since); as `corpus audit --redo`.',
  ),
});

/** Query string of GET /v1/corpus/claim. */
export const ClaimQuery = z.object({
  claim: z.string().describe('The claim (required).'),
  top: z
    .string()
    .optional()
    .describe('How many articles to return, most related first: 1-1000 (default 20).'),
});

export const CoverageItemSchema = z
  .object({
    id: z.string().describe('The id the article was first ingested under.'),
    ids: z.array(z.string()).describe('Every id the same text was ingested under.'),
    headline: z.string(),
    url: z.string().optional(),
    published: z.string().optional(),
    source: z.string().optional(),
    stance: Label,
    probabilities: ProbabilitiesSchema,
    relatedness: z.number().min(0).max(1).describe('1 − P(unrelated): the order of `articles`.'),
    evidence: z.array(EvidenceSchema),
    reason: z.string(),
    searchRank: z.int().min(0).describe('Position in the full-text ranking (0 = best).'),
  })
  .register(registry, { id: 'CoverageItem' });

export const ClaimAnswerSchema = z
  .object({
    claim: z.string(),
    counts: Counts,
    summary: z
      .string()
      .describe('One line, e.g. "Of 37 related articles, 12 agree, 3 disagree, 22 discuss."'),
    pool: z.int().min(0).describe('Full-text candidates the model re-ranked.'),
    articles: z
      .array(CoverageItemSchema)
      .describe('Every article returned (unrelated too), most related first.'),
    groups: Groups.describe('Article ids by stance, in each group best first.'),
  })
  .register(registry, {
    id: 'ClaimAnswer',
    description: 'The same object as `stancecheck corpus claim --json`.',
  });

export const AuditFindingSchema = z
  .object({
    id: z.string(),
    ids: z.array(z.string()),
    headline: z.string(),
    url: z.string().optional(),
    finding: z.enum(['wrong-story', 'contradicted']),
    score: z.number().min(0).max(1),
    probabilities: ProbabilitiesSchema,
    reason: z.string(),
    evidence: z.array(EvidenceSchema),
    elsewhere: z
      .object({
        id: z.string(),
        headline: z.string(),
        relatedness: z.number().min(0).max(1),
        similarity: z.number().min(0).max(1),
        shared: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe("The share of the headline's key terms (IDF-weighted) that article's body uses."),
      })
      .optional()
      .describe(
        'A wrong story found by the cross-check: the stored article of another story the headline fits (docs/CORPUS.md).',
      ),
  })
  .register(registry, { id: 'AuditFinding' });

/** AuditReport's and CorpusStats' storedAfterFullAudit. */
const StoredAfterFullAudit = z
  .int()
  .min(0)
  .nullable()
  .describe(
    'Articles stored after the last full audit (the last audit that scored every article not yet audited and looked up the older headlines among the articles stored since): the audits made before them have not looked them up yet; the next audit does. Null when there was no full audit.',
  );

export const AuditReportSchema = z
  .object({
    model: z.string(),
    thresholds: z.object({ wrongStory: z.number(), contradicted: z.number() }),
    checked: z.int().min(0).describe('Articles in the store.'),
    scored: z.int().min(0).describe('Articles scored by this request (0 for GET).'),
    crossChecked: z
      .int()
      .min(0)
      .describe(
        'Of those, how many were cross-checked: their headline searched for in the rest of the store.',
      ),
    refreshed: z
      .int()
      .min(0)
      .describe(
        'Audits made before this request whose headline was looked up among the articles stored since their cross-check (0 for GET).',
      ),
    storedAfterFullAudit: StoredAfterFullAudit,
    flagged: z.array(AuditFindingSchema).describe('Every current finding, highest score first.'),
  })
  .register(registry, {
    id: 'AuditReport',
    description: 'The same object as `stancecheck corpus audit --json`.',
  });

export const AuditProgressSchema = z
  .object({
    running: z.boolean().describe('An audit was asked for and has not ended (it may wait behind an ingest).'),
    scored: z.int().min(0).describe('Articles scored so far, or by the last audit.'),
    refreshed: z
      .int()
      .min(0)
      .describe(
        'Older audits whose headline was looked up among the articles stored since, so far or by the last audit.',
      ),
    startedAt: z
      .string()
      .nullable()
      .describe('When the latest audit was asked for (ISO 8601); null before the first.'),
    finishedAt: z.string().nullable().describe('When it ended; null while it runs or before the first.'),
    failed: z.string().optional().describe('Its error code, when it failed.'),
  })
  .register(registry, {
    id: 'AuditProgress',
    description: "The server's latest audit (POST /v1/corpus/audit), while it runs and after.",
  });

export const CorpusStatsSchema = z
  .object({
    backend: z.enum(['sqlite', 'postgres']),
    location: z.string().describe('The file, or the server URL without its password.'),
    schemaVersion: z.int(),
    articles: z.int().min(0),
    ids: z.int().min(0),
    analysedCurrent: z.int().min(0),
    audited: z.int().min(0),
    findings: z.int().min(0),
    storedAfterFullAudit: StoredAfterFullAudit,
    cachedVerdicts: z.int().min(0),
    analysisBytesAvg: z.number().min(0),
    model: z.string(),
    analysisVersion: z.string(),
  })
  .register(registry, {
    id: 'CorpusStats',
    description: 'The same object as `stancecheck corpus stats --json`.',
  });

export const ArticleRecord = z
  .object({
    id: z.union([z.string(), z.number()]).optional().describe('Your id; default the url, else a hash.'),
    headline: z.string().optional(),
    subtitle: z.string().optional(),
    body: z.string(),
    url: z.string().optional(),
    published: z.string().optional(),
    source: z.string().optional(),
  })
  .register(registry, {
    id: 'ArticleRecord',
    description: 'One article to ingest (the JSONL ingest format).',
  });

export const ExportLine = ArticleRecord.omit({ id: true, headline: true })
  .extend({ id: z.string(), ids: z.array(z.string()), headline: z.string() })
  .register(registry, {
    id: 'ExportLine',
    description: 'One stored article: the ingest format plus every id.',
  });

export const IngestResponse = z
  .object({
    summary: z.object({
      added: z.int().min(0),
      aliases: z.int().min(0).describe('Texts already stored, now also under a new id.'),
      duplicates: z.int().min(0),
      conflicts: z.array(z.object({ id: z.string(), reason: z.string() })),
      rejected: z
        .array(z.object({ where: z.string(), reason: z.string() }))
        .describe('Items that are not articles; `where` is "line N" or "item N" of the request.'),
      batches: z.int().min(0),
      seconds: z.number().min(0),
    }),
    results: z.array(
      z.object({ id: z.string(), status: z.enum(['added', 'duplicate', 'alias', 'conflict']) }),
    ),
  })
  .register(registry, { id: 'IngestResponse' });

export const RemoveRequest = z
  .object({
    id: z.string().optional(),
    ids: z.array(z.string()).optional(),
  })
  .register(registry, { id: 'RemoveRequest', description: 'An id, or several: `{"id"}` or `{"ids": […]}`.' });

export const RemoveResponse = z
  .object({
    removed: z.array(z.object({ id: z.string(), removed: z.boolean(), articleRemoved: z.boolean() })),
  })
  .register(registry, { id: 'RemoveResponse' });

export const ReindexResponse = z
  .object({ reindexed: z.int().min(0), analysisVersion: z.string() })
  .register(registry, { id: 'ReindexResponse' });

/**
 * `stancecheck corpus …`: a store of articles (SQLite file by default, PostgreSQL with a
 * postgres:// URL) and the two questions asked of it: what does the press say about a claim
 * (`claim`), and which headlines do not match their own stories (`audit`).
 */
import { createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { StanceError } from '../../../core/errors.js';
import { LABELS } from '../../../core/labels.js';
import { spreadsheetSafe } from '../../../core/corpus/rank.js';
import {
  audit,
  claim,
  corpusStats,
  exportArticles,
  exportRecord,
  ingest,
  openCorpus,
  reindex,
  type AuditReport,
  type Corpus,
} from '../../corpus/corpus.js';
import { readSources } from '../../corpus/sources.js';
import { defaultDb, openStore } from '../../store/open-store.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { auditHtml } from '../../report/audit-report.js';
import { WorkerPool } from '../../workers/pool.js';
import { createProgress, stdoutColors } from '../output.js';
import { BULK_HEAP_MB, parseWorkers } from '../pool-options.js';

interface CorpusOptions {
  db?: string;
  model?: string;
  json?: boolean;
}

const out = (s: string): void => {
  process.stdout.write(s);
};

async function withCorpus<T>(o: CorpusOptions, f: (c: Corpus) => Promise<T>): Promise<T> {
  const c = await openCorpus(o.db ?? defaultDb(), o.model);
  try {
    return await f(c);
  } finally {
    await c.close();
  }
}

async function runIngest(
  inputs: string[],
  o: CorpusOptions & { batch?: number; concurrency?: number; timeout?: number },
): Promise<void> {
  if (inputs.length === 0)
    throw new StanceError('USAGE', 'expected at least one input (file, folder or URL); found none');
  await withCorpus(o, async (c) => {
    const progress = createProgress(!o.json);
    progress.start(0, 'ingest');
    let seen = 0;
    const summary = await ingest(
      c,
      readSources(inputs, { concurrency: o.concurrency ?? 4, timeoutMs: o.timeout ?? 15_000 }),
      {
        batchSize: o.batch ?? 200,
        onBatch: (outcomes) => {
          seen += outcomes.length;
          progress.update(seen);
          // One line per committed batch: what is durably stored once it is printed.
          if (o.json)
            out(`${JSON.stringify({ committed: outcomes.map((x) => ({ id: x.id, status: x.status })) })}\n`);
        },
      },
    );
    progress.stop();
    if (o.json) {
      out(`${JSON.stringify({ summary })}\n`);
      return;
    }
    const rate =
      summary.seconds > 0
        ? Math.round(
            (summary.added + summary.aliases + summary.duplicates + summary.updated) / summary.seconds,
          )
        : 0;
    out(
      `${summary.added} added, ${summary.aliases} new ids for texts already stored, ${summary.duplicates} duplicates, ${summary.updated} updated, ` +
        `${summary.rejected.length + summary.conflicts.length} rejected (${summary.seconds.toFixed(1)} s, ${rate} articles/s) → ${c.store.location}\n`,
    );
    for (const r of summary.rejected.slice(0, 20)) out(`  rejected ${r.where}: ${r.reason}\n`);
    for (const r of summary.conflicts.slice(0, 20)) out(`  rejected ${r.id}: ${r.reason}\n`);
    const more = summary.rejected.length + summary.conflicts.length - 40;
    if (more > 0) out(`  … and ${more} more (use --json for all)\n`);
  });
}

async function runClaim(text: string, o: CorpusOptions & { top?: number }): Promise<void> {
  await withCorpus(o, async (c) => {
    const a = await claim(c, text, o.top !== undefined ? { top: o.top } : {});
    if (o.json) {
      out(`${JSON.stringify(a)}\n`);
      return;
    }
    const col = stdoutColors();
    out(`${col.bold(a.summary)}\nclaim: ${a.claim}\n`);
    const byId = new Map(a.articles.map((x) => [x.id, x]));
    for (const l of LABELS) {
      const ids = a.groups[l];
      if (ids.length === 0 || l === 'unrelated') continue;
      out(`\n${col.bold(l.toUpperCase())} (${ids.length})\n`);
      for (const id of ids) {
        const x = byId.get(id);
        if (!x) continue;
        out(
          `  ${(x.probabilities[l] * 100).toFixed(0).padStart(3)}%  ${x.id}  ${x.headline || '(no headline)'}\n`,
        );
        for (const w of x.warnings) out(`        ${col.yellow(`warning: ${w.message}`)}\n`);
        for (const ev of x.evidence.slice(0, 2))
          out(`        ${col.dim(`“${ev.text.length > 200 ? `${ev.text.slice(0, 200)}…` : ev.text}”`)}\n`);
      }
    }
    if (a.counts.unrelated > 0)
      out(
        `\n${a.counts.unrelated} of the ${a.articles.length} closest articles are unrelated (--json lists them).\n`,
      );
  });
}

function auditCsv(r: AuditReport): string {
  const cell = (s: string | number): string => {
    const v = spreadsheetSafe(String(s));
    return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  const rows = [
    [
      'rank',
      'id',
      'finding',
      'score',
      'headline',
      'url',
      'reason',
      'evidence',
      ...LABELS.map((l) => `p_${l}`),
      'fits_id',
      'fits_headline',
    ],
  ];
  r.flagged.forEach((f, i) =>
    rows.push([
      String(i + 1),
      f.id,
      f.finding,
      f.score.toFixed(4),
      f.headline,
      f.url ?? '',
      f.reason,
      f.evidence[0]?.text ?? '',
      ...LABELS.map((l) => f.probabilities[l].toFixed(4)),
      f.elsewhere?.id ?? '',
      f.elsewhere?.headline ?? '',
    ]),
  );
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/**
 * Scores the audit on `workers` threads (1: on this one). The pool is started only when there is
 * something to score (each worker loads its own model), closed at the end, destroyed on failure.
 */
async function auditOn(
  o: CorpusOptions,
  workers: number,
  redo: boolean,
  onProgress: (n: number) => void,
  onRefresh: (n: number) => void,
): Promise<AuditReport> {
  return withCorpus(o, async (c) => {
    const todo = workers > 1 && (redo || (await c.store.unaudited(c.auditVersion, 0, 1)).length > 0);
    if (!todo) return audit(c, { onProgress, onRefresh, redo });
    const pool = await WorkerPool.start({ size: workers, modelPath: o.model, maxHeapMb: BULK_HEAP_MB });
    let r: AuditReport;
    try {
      r = await audit(c, { onProgress, onRefresh, pool, redo });
    } catch (e) {
      await pool.destroy();
      throw e;
    }
    await pool.close();
    return r;
  });
}

async function runAudit(
  o: CorpusOptions & { out?: string; workers?: number; redo?: boolean },
): Promise<void> {
  if (o.out !== undefined && !['.csv', '.html', '.htm'].includes(extname(o.out).toLowerCase()))
    throw new StanceError('USAGE', `expected --out FILE.csv or FILE.html; found ${o.out}`);
  const workers = o.workers ?? availableParallelism();
  const progress = createProgress(!o.json);
  progress.start(0, 'audit');
  let r: AuditReport;
  try {
    let refreshing = false;
    r = await auditOn(
      o,
      workers,
      o.redo === true,
      (n) => progress.update(n),
      (n) => {
        // The older audits' cross-checks, after the scoring: a bar of their own.
        if (!refreshing) progress.start(0, 'refresh');
        refreshing = true;
        progress.update(n);
      },
    );
  } finally {
    progress.stop();
  }
  if (o.out !== undefined) {
    const ext = extname(o.out).toLowerCase();
    await writeFileAtomic(o.out, ext === '.csv' ? auditCsv(r) : auditHtml(r));
  }
  if (o.json) {
    out(`${JSON.stringify(r)}\n`);
    return;
  }
  const col = stdoutColors();
  const wrong = r.flagged.filter((f) => f.finding === 'wrong-story');
  const contra = r.flagged.filter((f) => f.finding === 'contradicted');
  out(
    `${col.bold(`${r.flagged.length} of ${r.checked} articles flagged`)}: ${wrong.length} wrong story, ${contra.length} contradicted ` +
      `(${r.scored} newly scored with ${r.model}${r.crossChecked > 0 ? `, ${r.crossChecked} of them cross-checked against the rest of the store` : ''}` +
      `${r.refreshed > 0 ? `; ${r.refreshed} older headline${r.refreshed === 1 ? '' : 's'} looked up among the articles stored since` : ''})${o.out ? ` → ${o.out}` : ''}\n`,
  );
  for (const [title, list] of [
    ['WRONG STORY (the body is about something else)', wrong],
    ['CONTRADICTED (the body disputes its headline)', contra],
  ] as const) {
    if (list.length === 0) continue;
    out(`\n${col.bold(title)}\n`);
    for (const f of list.slice(0, 50)) {
      out(
        `  ${(f.score * 100).toFixed(0).padStart(3)}%  ${f.id}  ${f.headline}\n        ${col.dim(f.reason)}\n`,
      );
    }
    if (list.length > 50) out(`  … and ${list.length - 50} more (--json or --out for all)\n`);
  }
  const later = r.storedAfterFullAudit ?? 0;
  if (later > 0)
    out(
      `\n${later} article${later === 1 ? ' was' : 's were'} stored after the last full audit: the audits made before ` +
        `${later === 1 ? 'it' : 'them'} have not looked ${later === 1 ? 'it' : 'them'} up yet; the next \`stancecheck corpus audit\` does.\n`,
    );
}

async function runReindex(o: CorpusOptions): Promise<void> {
  await withCorpus(o, async (c) => {
    const progress = createProgress(!o.json);
    progress.start(0, 'reindex');
    const n = await reindex(c, (k) => progress.update(k));
    progress.stop();
    if (o.json) out(`${JSON.stringify({ reindexed: n, analysisVersion: c.analysisVersion })}\n`);
    else out(`${n} articles re-analysed for ${c.analysisVersion}\n`);
  });
}

async function runStats(o: CorpusOptions): Promise<void> {
  await withCorpus(o, async (c) => {
    const s = await corpusStats(c);
    if (o.json) {
      out(`${JSON.stringify(s)}\n`);
      return;
    }
    out(
      `${s.backend} ${s.location} (schema ${s.schemaVersion})\n` +
        `  articles          ${s.articles} (${s.ids} ids)\n` +
        `  analysed for      ${c.analysisVersion}: ${s.analysedCurrent}${s.analysedCurrent < s.articles ? '  (run `stancecheck corpus reindex`)' : ''}\n` +
        `  analysis size     ${s.analysisBytesAvg} bytes per article on average\n` +
        `  audited with      ${c.auditVersion}: ${s.audited}, ${s.findings} flagged` +
        `${s.storedAfterFullAudit ? ` (${s.storedAfterFullAudit} stored after the last full audit: audit again)` : ''}\n` +
        `  cached verdicts   ${s.cachedVerdicts}\n`,
    );
  });
}

async function runExport(o: CorpusOptions & { out?: string }): Promise<void> {
  const store = await openStore(o.db ?? defaultDb());
  try {
    const sink: NodeJS.WritableStream =
      o.out === undefined || o.out === '-' ? process.stdout : createWriteStream(o.out);
    for await (const a of exportArticles(store)) {
      if (!sink.write(`${JSON.stringify(exportRecord(a))}\n`))
        await new Promise<void>((r) => sink.once('drain', () => r()));
    }
    if (sink !== process.stdout) await new Promise<void>((res) => sink.end(() => res()));
  } finally {
    await store.close();
  }
}

async function runRemove(o: CorpusOptions & { id?: string[] }): Promise<void> {
  const ids = o.id ?? [];
  if (ids.length === 0) throw new StanceError('USAGE', 'expected --id ID (one or more); found none');
  const store = await openStore(o.db ?? defaultDb());
  try {
    const results = [];
    for (const id of ids) results.push({ id, ...(await store.remove(id)) });
    if (o.json) out(`${JSON.stringify({ removed: results })}\n`);
    else
      for (const r of results)
        out(
          r.removed
            ? `removed ${r.id}${r.articleRemoved ? '' : ' (the text stays under its other ids)'}\n`
            : `no article has the id ${r.id}\n`,
        );
    if (results.some((r) => !r.removed) && results.every((r) => !r.removed))
      throw new StanceError(
        'NOT_FOUND',
        `no article has the id${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`,
      );
  } finally {
    await store.close();
  }
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** Registers `corpus` and its subcommands. */
export function registerCorpus(program: Command, parseIntOption: (v: string) => number): void {
  const corpus = program
    .command('corpus')
    .description('a store of articles: ingest them, ask what they say about a claim, audit their headlines')
    .addHelpText(
      'after',
      `
The store is a SQLite file (default ./stancecheck.db or $STANCECHECK_DB) or a PostgreSQL server
(--db postgres://user:pass@host/db).

Examples:
  $ stancecheck corpus ingest articles/ feed.jsonl https://example.org/rss.xml
  $ stancecheck corpus claim "The mayor resigned" --top 20
  $ stancecheck corpus audit --out findings.html`,
    );
  const dbOpt = [
    '--db <path|url>',
    'SQLite file or postgres:// URL (default $STANCECHECK_DB or ./stancecheck.db)',
  ] as const;
  const sub = (name: string, description: string): Command =>
    corpus
      .command(name)
      .description(description)
      .option(...dbOpt)
      .option('--json', 'machine-readable output');
  sub(
    'ingest',
    'add articles: .jsonl, FNC-1 bodies .csv, folders of .txt/.html, http(s) article pages and RSS/Atom feeds',
  )
    .argument('<inputs...>', 'files, folders or URLs')
    .option('--batch <n>', 'articles per transaction (default 200)', parseIntOption)
    .option('--concurrency <n>', 'pages fetched at once for feeds (default 4)', parseIntOption)
    .option('--timeout <ms>', 'per-URL timeout in ms (default 15000)', parseIntOption)
    .action(async (inputs: string[], _o, cmd: Command) => runIngest(inputs, cmd.optsWithGlobals()));
  sub('claim', 'what the stored articles say about a claim, grouped by stance')
    .argument('<text>', 'the claim')
    .option('--top <n>', 'articles returned, most related first (default 20)', parseIntOption)
    .action(async (text: string, _o, cmd: Command) => runClaim(text, cmd.optsWithGlobals()));
  sub('audit', 'flag articles whose own headline their body does not support (wrong story, contradicted)')
    .option('--out <file>', 'also write the findings as .csv or .html')
    .option(
      '--workers <n>',
      'scoring threads, each with its own model (default: one per core; 1 scores on the main thread; same results)',
      parseWorkers,
    )
    .option(
      '--redo',
      'score every article again, each headline looked up in the whole store afresh (a plain run already looks older headlines up among the articles stored since)',
    )
    .action(async (_o, cmd: Command) => runAudit(cmd.optsWithGlobals()));
  sub('reindex', 'redo the stored analysis of articles analysed with another model or version').action(
    async (_o, cmd: Command) => runReindex(cmd.optsWithGlobals()),
  );
  sub('stats', 'what the store holds').action(async (_o, cmd: Command) => runStats(cmd.optsWithGlobals()));
  sub('export', 'every article as JSONL (the ingest format, plus all ids)')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (_o, cmd: Command) => runExport(cmd.optsWithGlobals()));
  sub('remove', 'remove an id (the article goes with its last id)')
    .requiredOption('--id <id>', 'the id to remove (repeatable)', collect)
    .action(async (_o, cmd: Command) => runRemove(cmd.optsWithGlobals()));
  for (const c of corpus.commands)
    c.exitOverride().configureOutput({
      outputError: (str, write) => write(`stancecheck: ${str.replace(/^error: /, '')}`),
    });
}

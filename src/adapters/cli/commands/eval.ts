/**
 * `stancecheck eval`: scores predictions (the model's own, or a predictions CSV) against gold
 * stances and prints the figures; optionally writes a self-contained HTML report.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { evaluateChecker } from '../../../core/eval/evaluate-checker.js';
import { StanceError } from '../../../core/errors.js';
import { evaluate } from '../../../core/eval/evaluate.js';
import type { Label } from '../../../core/labels.js';
import type { Metrics } from '../../../core/model/card.js';
import { readBodies, readStances, type StanceRow } from '../../fs/fnc-csv.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { renderReport } from '../../report/html-report.js';
import { loadChecker } from '../../fs/load-checker.js';
import { formatMetrics } from '../format.js';
import { createProgress, stdoutColors } from '../output.js';

/** Options of `eval`. */
export interface EvalOptions {
  bodies: string;
  stances: string;
  predictions?: string;
  json?: boolean;
  report?: string;
  progress?: boolean;
  model?: string;
}

function clip(s: string, n = 50): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Checks that predictions list the gold pairs in the same order. */
export function alignPredictions(
  gold: StanceRow[],
  preds: StanceRow[],
  goldFile: string,
  predFile: string,
): Label[] {
  if (preds.length !== gold.length) {
    throw new StanceError(
      'INPUT_FORMAT',
      `stancecheck: ${basename(predFile)} has ${preds.length} rows; expected one per row of ${basename(goldFile)} (${gold.length} rows), in the same order`,
      { file: predFile },
    );
  }
  return gold.map((g, i) => {
    const p = preds[i] as StanceRow;
    if (p.headline.trim() !== g.headline.trim() || p.bodyId !== g.bodyId) {
      throw new StanceError(
        'INPUT_FORMAT',
        `stancecheck: row ${p.row} of ${basename(predFile)} (data rows numbered from 1 after the header) is "${clip(p.headline)}" / Body ID ${p.bodyId}; expected row ${g.row} of ${basename(goldFile)}: "${clip(g.headline)}" / Body ID ${g.bodyId} (predictions must keep the gold order)`,
        { file: predFile, row: p.row },
      );
    }
    return p.stance as Label;
  });
}

/** Computes the metrics for the options (predicting with the model when no predictions file is given). */
export async function computeMetrics(o: EvalOptions): Promise<{ metrics: Metrics; modelName?: string }> {
  const bodies = await readBodies(o.bodies);
  const gold = await readStances(o.stances, { bodies, stance: 'required' });
  const goldLabels = gold.map((g) => g.stance as Label);
  if (o.predictions !== undefined) {
    const preds = await readStances(o.predictions, { stance: 'required' });
    const predicted = alignPredictions(gold, preds, o.stances, o.predictions);
    return { metrics: evaluate({ gold: goldLabels, predicted }) };
  }
  const checker = await loadChecker(o.model);
  const progress = createProgress(o.progress !== false);
  progress.start(gold.length, 'pairs');
  let metrics: Metrics;
  try {
    metrics = evaluateChecker(
      checker,
      gold.map((g) => ({ headline: g.headline, bodyId: g.bodyId, label: g.stance as Label })),
      bodies,
      (done) => progress.update(done),
    );
  } finally {
    progress.stop();
  }
  return {
    metrics,
    modelName: `${checker.card.name} ${checker.card.version}`,
  };
}

/** Runs `eval`. */
export async function runEval(o: EvalOptions): Promise<void> {
  const { metrics, modelName } = await computeMetrics(o);
  if (o.report !== undefined) {
    const meta: Parameters<typeof renderReport>[1] = {
      data: `${basename(o.bodies)} + ${basename(o.stances)}`,
      predictions: o.predictions !== undefined ? basename(o.predictions) : 'model',
      generatedAt: new Date().toISOString(),
    };
    if (modelName !== undefined) meta.model = modelName;
    await writeFileAtomic(o.report, renderReport(metrics, meta));
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify(metrics)}\n`);
  } else {
    process.stdout.write(formatMetrics(metrics, stdoutColors()));
    if (o.report !== undefined) process.stdout.write(`\nreport written to ${o.report}\n`);
  }
}

/** Registers `eval` on the program. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('score predictions against gold stances (FNC-1 score, macro-F1, per-class F1, calibration)')
    .requiredOption('--bodies <file>', 'bodies CSV (Body ID,articleBody)')
    .requiredOption('--stances <file>', 'gold stances CSV (Headline,Body ID,Stance)')
    .option('--predictions <file>', 'predictions CSV in the same order (default: predict with the model)')
    .option('--json', 'print the metrics as JSON')
    .option('--report <file>', 'also write a self-contained HTML report')
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      `
Examples:
  $ stancecheck eval --bodies bodies.csv --stances dev.csv --report report.html
  $ stancecheck eval --bodies bodies.csv --stances dev.csv --predictions submission.csv --json`,
    )
    .action(async (_opts: EvalOptions, cmd: Command) => {
      await runEval(cmd.optsWithGlobals<EvalOptions>());
    });
}

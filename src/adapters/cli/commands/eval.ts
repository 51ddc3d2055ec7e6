/**
 * `stancecheck eval`: scores predictions (the model's own, or a predictions CSV) against gold
 * stances and prints the figures; optionally writes a self-contained HTML report that lists the
 * misclassified pairs. Warns (stderr, --json, report) when the model was trained on the pairs.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { StanceError } from '../../../core/errors.js';
import { evaluate } from '../../../core/eval/evaluate.js';
import type { Label } from '../../../core/labels.js';
import type { Metrics } from '../../../core/model/card.js';
import { readBodies, readStances, toTrainingPairs, type StanceRow } from '../../fs/fnc-csv.js';
import { writeFileAtomic } from '../../fs/write-atomic.js';
import { renderReport, type MisclassifiedPair, type ReportMeta } from '../../report/html-report.js';
import { trainingOverlap as overlapWith, type TrainingOverlap } from '../../../core/model/fingerprints.js';
import { formatMetrics } from '../format.js';
import { createProgress, stdoutColors } from '../output.js';
import { guessLanguage } from '../../language/tinyld.js';

/** Options of `eval`. */
export interface EvalOptions {
  bodies: string;
  stances: string;
  predictions?: string;
  json?: boolean;
  report?: string;
  progress?: boolean;
  model?: string;
  /** `--no-contradiction-rule`: false scores without the own-voice contradiction rule. */
  contradictionRule?: boolean;
  /** `--no-statement-rule`: false scores without the own-voice statement rule. */
  statementRule?: boolean;
  /** `--no-shared-name-rule`: false scores without the shared-name rule. */
  sharedNameRule?: boolean;
  /** `--no-absent-names-rule`: false scores without the absent-names rule. */
  absentNamesRule?: boolean;
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
      `${basename(predFile)} has ${preds.length} rows; expected one per row of ${basename(goldFile)} (${gold.length} rows), in the same order`,
      { file: predFile },
    );
  }
  return gold.map((g, i) => {
    const p = preds[i] as StanceRow;
    if (p.headline.trim() !== g.headline.trim() || p.bodyId !== g.bodyId) {
      throw new StanceError(
        'INPUT_FORMAT',
        `row ${p.row} of ${basename(predFile)} (data rows numbered from 1 after the header) is "${clip(p.headline)}" / Body ID ${p.bodyId}; expected row ${g.row} of ${basename(goldFile)}: "${clip(g.headline)}" / Body ID ${g.bodyId} (predictions must keep the gold order)`,
        { file: predFile, row: p.row },
      );
    }
    return p.stance as Label;
  });
}

/** What `eval` found: the figures, and what a reader should know about them. */
export interface EvalResult {
  metrics: Metrics;
  modelName?: string;
  /**
   * How many of the pairs the model was trained on, when the model predicted (null: the model
   * records no fingerprints of its training data, so nobody can tell).
   */
  trainingOverlap?: TrainingOverlap | null;
  /** The wrongly predicted pairs, the most confident mistakes first when probabilities are known. */
  misclassified: MisclassifiedPair[];
}

/** Computes the metrics for the options (predicting with the model when no predictions file is given). */
export async function computeMetrics(o: EvalOptions): Promise<EvalResult> {
  const bodies = await readBodies(o.bodies);
  const gold = await readStances(o.stances, { bodies, stance: 'required' });
  const goldLabels = gold.map((g) => g.stance as Label);
  const mistake = (i: number, predicted: Label, confidence?: number): MisclassifiedPair | undefined => {
    const g = gold[i] as StanceRow;
    if (g.stance === predicted) return undefined;
    return {
      row: g.row,
      headline: g.headline,
      bodyId: g.bodyId,
      gold: g.stance as Label,
      predicted,
      ...(confidence !== undefined ? { confidence } : {}),
    };
  };
  if (o.predictions !== undefined) {
    const preds = await readStances(o.predictions, { stance: 'required' });
    const predicted = alignPredictions(gold, preds, o.stances, o.predictions);
    const misclassified = predicted.flatMap((p, i) => mistake(i, p) ?? []);
    return { metrics: evaluate({ gold: goldLabels, predicted }), misclassified };
  }
  // The model, the checker and the language detector load here, not at every command's start-up.
  const [{ loadModel }, { createChecker }, { evaluateChecker }] = await Promise.all([
    import('../../fs/model-file.js'),
    import('../../../core/create-checker.js'),
    import('../../../core/eval/evaluate-checker.js'),
  ]);
  const model = await loadModel(o.model);
  const checker = createChecker(model, {
    guessLanguage,
    contradictionRule: o.contradictionRule !== false,
    statementRule: o.statementRule !== false,
    sharedNameRule: o.sharedNameRule !== false,
    absentNamesRule: o.absentNamesRule !== false,
  });
  const pairs = toTrainingPairs(gold);
  const trainingOverlap = model.training ? overlapWith(model.training, pairs, bodies) : null;
  const misclassified: MisclassifiedPair[] = [];
  const progress = createProgress(o.progress !== false);
  progress.start(gold.length, 'pairs');
  let metrics: Metrics;
  try {
    metrics = evaluateChecker(
      checker,
      pairs,
      bodies,
      (done) => progress.update(done),
      (i, label, probabilities) => {
        const m = mistake(i, label, probabilities[label]);
        if (m) misclassified.push(m);
      },
    );
  } finally {
    progress.stop();
  }
  misclassified.sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0) || a.row - b.row);
  return {
    metrics,
    modelName: `${checker.card.name} ${checker.card.version}`,
    trainingOverlap,
    misclassified,
  };
}

/** The warning for pairs the model was trained on (none when there are none). */
export function overlapWarning(o: TrainingOverlap): string | undefined {
  if (o.seenPairs === 0) return undefined;
  return (
    `${o.seenPairs} of ${o.pairs} evaluated pairs (${(o.share * 100).toFixed(1)}%) were in this model's training data, ` +
    `so the figures overstate how it does on new articles (${o.seenHeadlines} pairs have a training headline, ${o.seenBodies} a training body); ` +
    'evaluate on held-out pairs, e.g. the dev part of a claim split'
  );
}

const NO_FINGERPRINTS =
  'this model records no fingerprints of its training data, so eval cannot tell whether these pairs were trained on';

/** Runs `eval`. */
export async function runEval(o: EvalOptions): Promise<void> {
  const { metrics, modelName, trainingOverlap, misclassified } = await computeMetrics(o);
  const warning = trainingOverlap ? overlapWarning(trainingOverlap) : undefined;
  if (warning !== undefined) process.stderr.write(`stancecheck: warning: ${warning}\n`);
  else if (trainingOverlap === null && !o.json)
    process.stderr.write(`stancecheck: note: ${NO_FINGERPRINTS}\n`);
  if (o.report !== undefined) {
    const meta: ReportMeta = {
      data: `${basename(o.bodies)} + ${basename(o.stances)}`,
      predictions: o.predictions !== undefined ? basename(o.predictions) : 'model',
      generatedAt: new Date().toISOString(),
    };
    if (modelName !== undefined) meta.model = modelName;
    const notes = trainingOverlap === null ? [NO_FINGERPRINTS] : [];
    await writeFileAtomic(
      o.report,
      renderReport(metrics, meta, { warnings: warning !== undefined ? [warning] : [], notes, misclassified }),
    );
  }
  if (o.json) {
    const extra: Record<string, unknown> = {};
    if (trainingOverlap !== undefined) extra.trainingOverlap = trainingOverlap;
    extra.warnings = warning !== undefined ? [{ code: 'TRAINING_OVERLAP', message: warning }] : [];
    process.stdout.write(`${JSON.stringify({ ...metrics, ...extra })}\n`);
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
    .option(
      '--no-contradiction-rule',
      'without the own-voice contradiction rule the checker applies after the model (docs/MODEL.md)',
    )
    .option(
      '--no-statement-rule',
      'without the own-voice statement rule the checker applies after the model (docs/MODEL.md)',
    )
    .option(
      '--no-shared-name-rule',
      'without the shared-name rule the checker applies after the model (docs/MODEL.md)',
    )
    .option(
      '--no-absent-names-rule',
      'without the absent-names rule the checker applies after the model (docs/MODEL.md); with all four off, the model alone',
    )
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

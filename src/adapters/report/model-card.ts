/** Renders a model card as Markdown. */
import { LABELS } from '../../core/labels.js';
import type { ModelCard } from '../../core/model/card.js';
import { STATEMENT_BOOST, STATEMENT_MIN_ALIGNMENT } from '../../core/features/statement.js';
import {
  MAX_SOFT_SHARE,
  MIN_OTHER_WORDS,
  NEAR_SYNONYM,
  SHARED_NAME_BOOST,
  SOFT_MATCH,
} from '../../core/features/shared-name.js';
import { MIN_ABSENT_SHARE, SHORT_BODY_TOKENS } from '../../core/features/absent-names.js';

const f3 = (x: number): string => x.toFixed(3);

export function renderModelCard(card: ModelCard, bytes: number): string {
  const lines = [
    `# Model card: ${card.name} ${card.version}`,
    '',
    `- Trained: ${card.trainedAt} in ${card.trainingSeconds} s (seed ${card.seed})`,
    `- File size: ${(bytes / 1e6).toFixed(2)} MB`,
    `- Command: \`${card.command}\``,
    `- Data: ${card.data.stances} over ${card.data.bodies}, ${card.data.pairs} pairs (${LABELS.map((l) => `${l} ${card.data.labelCounts[l]}`).join(', ')})`,
    '',
    '## Design',
    ...(card.notes ?? []).map((n) => `- ${n}`),
    '',
    '## At prediction time',
    `- First, the shared-name rule: where the body shares one of the headline's names (a run of adjacent name words: "Harwick", "Senator Ellen Marsh") and none of its other content words (at least ${MIN_OTHER_WORDS}; numbers aside), nor a near-synonym of one (word-vector cosine ≥ ${NEAR_SYNONYM}), and words within cosine ${SOFT_MATCH} of them carry less than ${MAX_SOFT_SHARE} of their IDF weight, the unrelated odds are multiplied by e^${SHARED_NAME_BOOST} and, where another label is still more probable, unrelated is lifted just above it (docs/MODEL.md, "Rules \`c5\`"); the other rules then stand aside. \`createChecker(model, { sharedNameRule: false })\` and \`stancecheck eval --no-shared-name-rule\` leave it out.`,
    `- Else the absent-names rule: where the body is short (at most ${SHORT_BODY_TOKENS} tokens) and writes names of its own, the headline has names (its sure names) and the body has none of them nor another name of the same thing ("ISIS" for "Islamic State"), the headline's content words the body lacks carry at least ${MIN_ABSENT_SHARE} of their IDF weight, no word the headline writes with a capital is one the body writes as a name, and the body never speaks in the first or second person outside quotation marks (a reader's comment), unrelated is made the label the same way (docs/MODEL.md, "Rules \`c6\`" and "Rules \`c7\`"); \`createChecker(model, { absentNamesRule: false })\` and \`stancecheck eval --no-absent-names-rule\` leave it out.`,
    '- Otherwise the checker applies the own-voice contradiction rule after this model: where one of the body\'s two sentences most like a plain headline says, in its own voice, that it was withdrawn, is false or did not happen, or the sentence after it answers it with a denial ("It is not.", "… found nothing of the kind"), the disagree odds are multiplied by e³ and, where another label is still more probable, disagree is lifted just above it, so the rule decides the label (docs/MODEL.md). `createChecker(model, { contradictionRule: false })` and `stancecheck eval --no-contradiction-rule` give the probabilities without it.',
    `- Then, where that rule does not hold, the own-voice statement rule: where the body's first sentence carries at least ${STATEMENT_MIN_ALIGNMENT} of a plain headline (no hedge, negation, refuting word or question) in its own voice, with nothing bearing on it but confirmation or a plain speech verb ("…, police said"), the agree odds are multiplied by e^${STATEMENT_BOOST} (docs/MODEL.md). \`createChecker(model, { statementRule: false })\` and \`stancecheck eval --no-statement-rule\` leave it out; with all four rules off the probabilities are this model's alone.`,
    '',
  ];
  if (card.dev) {
    const d = card.dev;
    lines.push(
      `## Figures on ${d.stances} (${d.pairs} pairs, never used for fitting; with the rules above)`,
      '',
      `| FNC score | macro-F1 | accuracy | ECE |`,
      `|---|---|---|---|`,
      `| ${f3(d.fnc)} | ${f3(d.macroF1)} | ${f3(d.accuracy)} | ${d.ece === undefined ? '-' : f3(d.ece)} |`,
      '',
      `| class | precision | recall | F1 | support |`,
      `|---|---|---|---|---|`,
      ...LABELS.map(
        (l) =>
          `| ${l} | ${f3(d.perClass[l].precision)} | ${f3(d.perClass[l].recall)} | ${f3(d.perClass[l].f1)} | ${d.perClass[l].support} |`,
      ),
      '',
      'Confusion matrix (rows gold, columns predicted):',
      '',
      `| gold \\ predicted | ${LABELS.join(' | ')} |`,
      `|---|${LABELS.map(() => '---').join('|')}|`,
      ...LABELS.map((l, i) => `| ${l} | ${(d.confusion[i] ?? []).join(' | ')} |`),
      '',
    );
  } else {
    lines.push(
      'No dev figures: this model was trained without `--dev` (the shipped model uses all the training data).',
      "The same recipe trained on the claim split's train part and scored on its dev part is measured by",
      '`npm run test:accuracy`; the figures, ablations and error analysis are in docs/MODEL.md.',
      '',
    );
  }
  return lines.join('\n');
}

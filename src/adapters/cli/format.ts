/**
 * Plain-text renderings for the terminal: a verdict, and evaluation metrics. Colours are passed
 * in (identity functions when output is not a TTY).
 */
import { LABELS, type Label, type Probabilities } from '../../core/labels.js';
import type { ClaimVerdict, Evidence, Verdict } from '../../core/verdict.js';
import type { Metrics } from '../../core/model/card.js';
import type { Colors } from './output.js';

/** What each label means, for the verdict line. */
const MEANING: Readonly<Record<Label, string>> = {
  agree: 'the body backs the headline',
  disagree: 'the body refutes the headline',
  discuss: 'the body reports or discusses the headline',
  unrelated: 'the body is about something else',
};

function paint(c: Colors, label: Label, s: string): string {
  switch (label) {
    case 'agree':
      return c.green(s);
    case 'disagree':
      return c.red(s);
    case 'discuss':
      return c.yellow(s);
    case 'unrelated':
      return c.gray(s);
  }
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1).padStart(5)}%`;
}

function bars(c: Colors, probs: Probabilities, chosen: Label, width = 30): string[] {
  return LABELS.map((l) => {
    const p = probs[l] ?? 0;
    const full = Math.round(p * width);
    const bar = '█'.repeat(full) + c.dim('░'.repeat(width - full));
    const name = l.padEnd(10);
    return `  ${l === chosen ? c.bold(paint(c, l, name)) : name} ${l === chosen ? paint(c, l, bar) : bar} ${pct(p)}`;
  });
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur !== '' && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur === '' ? w : `${cur} ${w}`;
  }
  if (cur !== '') lines.push(cur);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}

/** The evidence sentence with its stance-carrying words marked: bold and underlined on a TTY, *starred* otherwise. */
function highlight(c: Colors, e: Evidence): string {
  let out = '';
  let at = 0;
  for (const sp of e.spans) {
    if (sp.start < at || sp.end > e.text.length) continue;
    const word = e.text.slice(sp.start, sp.end);
    out += e.text.slice(at, sp.start) + (c.isColorSupported ? c.bold(c.underline(word)) : `*${word}*`);
    at = sp.end;
  }
  return out + e.text.slice(at);
}

function claimBlock(c: Colors, v: ClaimVerdict, what: string, maxEvidence: number): string[] {
  const out: string[] = [];
  out.push(
    `${c.bold(paint(c, v.label, v.label.toUpperCase()))}  ${MEANING[v.label].replace('headline', what)}`,
  );
  out.push(`${c.dim(`${what}:`)} ${v.claim}`);
  out.push('');
  out.push(...bars(c, v.probabilities, v.label));
  out.push('');
  out.push(`${c.bold('Why:')} ${wrap(v.reason, 72, '     ')}`);
  for (const w of v.warnings) out.push(`${c.bold(c.yellow('Warning:'))} ${wrap(w.message, 68, '         ')}`);
  const shown = v.evidence.slice(0, maxEvidence);
  if (shown.length > 0) {
    out.push('');
    out.push(c.bold('Evidence:'));
    shown.forEach((e, i) => {
      const cues = e.cues.length > 0 ? c.cyan(`[${e.cues.join(', ')}]`) : '';
      out.push(`  ${i + 1}. ${c.dim(`sentence ${e.number}, score ${e.score.toFixed(2)}`)} ${cues}`);
      out.push(`     ${wrap(highlight(c, e), 70, '     ')}`);
    });
  }
  return out;
}

/** The readable verdict: label, a bar per label, the reason, the evidence and the subtitle's verdict. */
export function formatVerdict(v: Verdict, c: Colors, maxEvidence = 3): string {
  const out = claimBlock(c, v, 'headline', maxEvidence);
  if (v.subtitle) {
    out.push('', c.dim('─'.repeat(60)), '');
    out.push(...claimBlock(c, v.subtitle, 'subtitle', maxEvidence));
  }
  out.push('', c.dim(`(${v.sentenceCount} body sentences)`));
  return `${out.join('\n')}\n`;
}

function f3(x: number): string {
  return x.toFixed(3);
}

/** Figures, per-class table and confusion matrix as a text grid. */
export function formatMetrics(m: Metrics, c: Colors): string {
  const out: string[] = [];
  out.push(
    `${c.bold('FNC-1 score')} ${(m.fnc * 100).toFixed(2)}%   ${c.bold('macro-F1')} ${f3(m.macroF1)}   ${c.bold('accuracy')} ${(m.accuracy * 100).toFixed(2)}%` +
      (m.ece !== undefined ? `   ${c.bold('ECE')} ${f3(m.ece)}` : '') +
      `   ${c.dim(`(${m.pairs} pairs)`)}`,
  );
  out.push('');
  out.push(c.bold('label       precision  recall     F1  support'));
  for (const l of LABELS) {
    const s = m.perClass[l];
    out.push(
      `${paint(c, l, l.padEnd(10))}  ${f3(s.precision).padStart(9)}  ${f3(s.recall).padStart(6)}  ${f3(s.f1).padStart(5)}  ${String(s.support).padStart(7)}`,
    );
  }
  out.push('');
  const w = Math.max(9, ...m.confusion.flat().map((n) => String(n).length + 1));
  out.push(c.bold('confusion (rows gold, columns predicted)'));
  out.push(`${'gold\\pred'.padEnd(10)}${LABELS.map((l) => l.padStart(w + 1)).join('')}`);
  LABELS.forEach((g, i) => {
    const row = m.confusion[i] ?? [];
    out.push(
      `${paint(c, g, g.padEnd(10))}${LABELS.map((_, j) => {
        const v = String(row[j] ?? 0).padStart(w + 1);
        return i === j ? c.bold(v) : v;
      }).join('')}`,
    );
  });
  return `${out.join('\n')}\n`;
}

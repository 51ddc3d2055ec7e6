/**
 * Renders evaluation metrics as one self-contained HTML page (inline CSS and SVG, no external
 * assets): warnings, headline figures, a confusion-matrix heatmap, a per-class table, when
 * probabilities were given a reliability diagram, and the misclassified pairs (capped).
 */
import { LABELS, type Label } from '../../core/labels.js';
import type { Metrics } from '../../core/model/card.js';

/** What the report says about where the figures come from. */
export interface ReportMeta {
  /** Page title. Default "stancecheck evaluation". */
  title?: string;
  /** Model name and version. */
  model?: string;
  /** Gold data description (file names). */
  data?: string;
  /** Predictions source ("model" or a file name). */
  predictions?: string;
  /** ISO date-time of the report. */
  generatedAt?: string;
}

/** A pair the predictions got wrong. */
export interface MisclassifiedPair {
  /** Data row of the gold stances file (1 = first row after the header). */
  row: number;
  headline: string;
  bodyId: string;
  gold: Label;
  predicted: Label;
  /** Probability of the predicted label, when known. */
  confidence?: number;
}

/** What the report says besides the figures. */
export interface ReportDetails {
  /** Shown prominently above the figures (e.g. pairs the model was trained on). */
  warnings?: readonly string[];
  /** Shown as plain notes above the figures. */
  notes?: readonly string[];
  /** The wrongly predicted pairs, in the order to list them; the table shows the first {@link MISCLASSIFIED_SHOWN}. */
  misclassified?: readonly MisclassifiedPair[];
}

/** At most this many misclassified pairs are listed. */
export const MISCLASSIFIED_SHOWN = 200;

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function pct(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

function f3(x: number): string {
  return x.toFixed(3);
}

function figures(m: Metrics): string {
  const items: [string, string, string][] = [
    ['FNC-1 score', pct(m.fnc), 'relative to the best possible score'],
    ['Macro-F1', f3(m.macroF1), 'mean F1 over the four labels'],
    ['Accuracy', pct(m.accuracy), `${m.pairs} pairs`],
  ];
  if (m.ece !== undefined) items.push(['ECE', f3(m.ece), 'expected calibration error, 10 bins']);
  return `<dl class="figures">${items
    .map(
      ([k, v, d]) =>
        `<div><dt>${esc(k)}</dt><dd><span class="big">${esc(v)}</span><span class="sub">${esc(d)}</span></dd></div>`,
    )
    .join('')}</dl>`;
}

/** The confusion matrix as an SVG heatmap (rows: gold, columns: predicted), normalised per gold row. */
function heatmap(m: Metrics): string {
  const cell = 86;
  const left = 110;
  const top = 60;
  const size = cell * LABELS.length;
  const w = left + size + 10;
  const h = top + size + 10;
  const parts: string[] = [];
  parts.push(
    `<svg class="heatmap" role="img" aria-labelledby="hm-title hm-desc" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="hm-title">Confusion matrix heatmap</title>`,
    `<desc id="hm-desc">Rows are gold labels, columns are predicted labels; shade is the share of the gold row.</desc>`,
    `<text x="${left + size / 2}" y="16" text-anchor="middle" class="axis">predicted</text>`,
    `<text x="14" y="${top + size / 2}" text-anchor="middle" class="axis" transform="rotate(-90 14 ${top + size / 2})">gold</text>`,
  );
  LABELS.forEach((l, j) => {
    parts.push(
      `<text x="${left + j * cell + cell / 2}" y="${top - 10}" text-anchor="middle">${esc(l)}</text>`,
    );
  });
  LABELS.forEach((g, i) => {
    const row = m.confusion[i] ?? [];
    const total = row.reduce((a, b) => a + b, 0);
    parts.push(
      `<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${esc(g)}</text>`,
    );
    LABELS.forEach((p, j) => {
      const v = row[j] ?? 0;
      const share = total === 0 ? 0 : v / total;
      const light = Math.round(97 - share * 62);
      const hue = i === j ? 150 : 12;
      const fg = share > 0.55 ? '#fff' : '#111';
      const x = left + j * cell;
      const y = top + i * cell;
      parts.push(
        `<g class="cell" data-gold="${esc(g)}" data-pred="${esc(p)}"><rect x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" rx="4" fill="hsl(${hue} 60% ${light}%)"><title>gold ${esc(g)}, predicted ${esc(p)}: ${v} (${pct(share)} of gold ${esc(g)})</title></rect>` +
          `<text x="${x + cell / 2 - 1}" y="${y + cell / 2 - 2}" text-anchor="middle" style="fill:${fg}" class="count">${v}</text>` +
          `<text x="${x + cell / 2 - 1}" y="${y + cell / 2 + 16}" text-anchor="middle" style="fill:${fg}" class="share">${pct(share, 0)}</text></g>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function confusionTable(m: Metrics): string {
  const head = LABELS.map((l) => `<th scope="col">${esc(l)}</th>`).join('');
  const rows = LABELS.map((g, i) => {
    const r = m.confusion[i] ?? [];
    return `<tr><th scope="row">${esc(g)}</th>${LABELS.map((_, j) => `<td>${r[j] ?? 0}</td>`).join('')}</tr>`;
  }).join('');
  return `<table class="num"><caption>Confusion matrix (counts; rows gold, columns predicted)</caption><thead><tr><th scope="col">gold \\ predicted</th>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function perClassTable(m: Metrics): string {
  const rows = LABELS.map((l) => {
    const s = m.perClass[l];
    return `<tr><th scope="row">${esc(l)}</th><td>${f3(s.precision)}</td><td>${f3(s.recall)}</td><td>${f3(s.f1)}</td><td>${s.support}</td></tr>`;
  }).join('');
  return `<table class="num"><caption>Per-class scores</caption><thead><tr><th scope="col">label</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th><th scope="col">support</th></tr></thead><tbody>${rows}</tbody><tfoot><tr><th scope="row">macro</th><td colspan="2"></td><td>${f3(m.macroF1)}</td><td>${m.pairs}</td></tr></tfoot></table>`;
}

function reliability(m: Metrics): string {
  const bins = m.reliability;
  if (!bins || bins.length === 0) return '';
  const pw = 320;
  const ph = 320;
  const left = 50;
  const top = 14;
  const w = left + pw + 20;
  const h = top + ph + 46;
  const sx = (x: number): number => left + x * pw;
  const sy = (y: number): number => top + (1 - y) * ph;
  const parts: string[] = [
    `<svg class="reliability" role="img" aria-labelledby="rel-title rel-desc" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">`,
    `<title id="rel-title">Reliability diagram</title>`,
    `<desc id="rel-desc">Bars show the accuracy of each confidence bin; the diagonal is perfect calibration.</desc>`,
    `<rect x="${left}" y="${top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`,
  ];
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(
      `<text x="${left - 6}" y="${sy(v) + 4}" text-anchor="end" class="tick">${v.toFixed(1)}</text>`,
      `<text x="${sx(v)}" y="${top + ph + 16}" text-anchor="middle" class="tick">${v.toFixed(1)}</text>`,
    );
  }
  for (const b of bins) {
    if (b.count === 0) continue;
    const x = sx(b.lower) + 2;
    const bw = (b.upper - b.lower) * pw - 4;
    parts.push(
      `<rect x="${x}" y="${sy(b.accuracy)}" width="${bw}" height="${sy(0) - sy(b.accuracy)}" fill="#4a7fb5"><title>confidence ${b.lower.toFixed(1)}-${b.upper.toFixed(1)}: ${b.count} pairs, mean confidence ${f3(b.confidence)}, accuracy ${f3(b.accuracy)}</title></rect>`,
      `<circle cx="${sx(b.confidence)}" cy="${sy(b.confidence)}" r="3" fill="#d0623c"/>`,
    );
  }
  parts.push(
    `<line x1="${sx(0)}" y1="${sy(0)}" x2="${sx(1)}" y2="${sy(1)}" stroke="#d0623c" stroke-dasharray="4 3"/>`,
    `<text x="${left + pw / 2}" y="${top + ph + 36}" text-anchor="middle" class="axis">confidence (probability of the predicted label)</text>`,
    `<text x="14" y="${top + ph / 2}" text-anchor="middle" class="axis" transform="rotate(-90 14 ${top + ph / 2})">accuracy</text>`,
    '</svg>',
  );
  const rows = bins
    .map(
      (b) =>
        `<tr><th scope="row">${b.lower.toFixed(1)}–${b.upper.toFixed(1)}</th><td>${b.count}</td><td>${b.count ? f3(b.confidence) : '–'}</td><td>${b.count ? f3(b.accuracy) : '–'}</td></tr>`,
    )
    .join('');
  return `<section aria-labelledby="rel-h"><h2 id="rel-h">Calibration</h2><figure>${parts.join('\n')}<figcaption>Reliability diagram: accuracy per confidence bin (bars) against mean confidence (dots); ECE ${f3(m.ece ?? 0)}.</figcaption></figure>
<table class="num"><caption>Reliability bins</caption><thead><tr><th scope="col">confidence</th><th scope="col">pairs</th><th scope="col">mean confidence</th><th scope="col">accuracy</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function clipText(s: string, n = 140): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

function misclassifiedTable(pairs: readonly MisclassifiedPair[]): string {
  if (pairs.length === 0) return '';
  const shown = pairs.slice(0, MISCLASSIFIED_SHOWN);
  const withConfidence = shown.some((p) => p.confidence !== undefined);
  const rows = shown
    .map(
      (p) =>
        `<tr><td>${p.row}</td><td class="text">${esc(clipText(p.headline))}</td><td>${esc(clipText(p.bodyId, 40))}</td><td class="text">${esc(p.gold)}</td><td class="text">${esc(p.predicted)}</td>${withConfidence ? `<td>${p.confidence !== undefined ? pct(p.confidence) : '–'}</td>` : ''}</tr>`,
    )
    .join('');
  const which =
    shown.length < pairs.length
      ? `${shown.length} of ${pairs.length}${withConfidence ? ', the most confident mistakes first' : ', in file order'}`
      : `all ${pairs.length}${withConfidence ? ', the most confident mistakes first' : ''}`;
  return `<section aria-labelledby="mis-h"><h2 id="mis-h">Misclassified pairs</h2>
<table class="num misclassified"><caption>Misclassified pairs (${which})</caption><thead><tr><th scope="col">row</th><th scope="col">headline</th><th scope="col">Body ID</th><th scope="col">gold</th><th scope="col">predicted</th>${withConfidence ? '<th scope="col">confidence</th>' : ''}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

function notices(details: ReportDetails): string {
  const warnings = (details.warnings ?? []).map(
    (w) => `<p class="warning" role="alert"><strong>Warning:</strong> ${esc(w)}</p>`,
  );
  const notes = (details.notes ?? []).map((n) => `<p class="note">Note: ${esc(n)}</p>`);
  return [...warnings, ...notes].join('\n');
}

const CSS = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1b1b;background:#fafafa}
body{max-width:960px;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}
.meta{color:#555;margin:0 0 1rem}.meta span{margin-right:1.2rem}
.figures{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.figures div{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.7rem 1rem;min-width:10rem}
.figures dt{font-size:.85rem;color:#555}.figures dd{margin:0}.big{display:block;font-size:1.8rem;font-weight:600}.sub{font-size:.75rem;color:#666}
table{border-collapse:collapse;margin:1rem 0;background:#fff}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #ddd;padding:.3rem .6rem}td{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#f0f0f0}
svg text{font-size:13px;fill:#222}svg .axis{font-size:12px;fill:#555}svg .tick{font-size:11px;fill:#555}svg .count{font-weight:600;font-size:15px}svg .share{font-size:11px}
figure{margin:1rem 0}figcaption{font-size:.85rem;color:#555}
.warning{background:#fff4e5;border:1px solid #e0a040;border-radius:6px;padding:.6rem .9rem}.note{color:#555}
td.text{text-align:left}
`;

/**
 * Renders `metrics` as a self-contained HTML page.
 *
 * @example
 * await writeFileAtomic('report.html', renderReport(metrics, { model: 'stancecheck-base 1.0.0' }));
 */
export function renderReport(metrics: Metrics, meta: ReportMeta = {}, details: ReportDetails = {}): string {
  const title = meta.title ?? 'stancecheck evaluation';
  const metaLine = [
    meta.model ? `model: ${meta.model}` : '',
    meta.data ? `data: ${meta.data}` : '',
    meta.predictions ? `predictions: ${meta.predictions}` : '',
    meta.generatedAt ? `generated: ${meta.generatedAt}` : '',
  ]
    .filter((s) => s !== '')
    .map((s) => `<span>${esc(s)}</span>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
<p class="meta">${metaLine}</p>
${notices(details)}
<section aria-labelledby="fig-h"><h2 id="fig-h">Figures</h2>${figures(metrics)}</section>
<section aria-labelledby="cm-h"><h2 id="cm-h">Confusion matrix</h2>
<figure>${heatmap(metrics)}<figcaption>Rows are gold labels, columns predicted labels; shade is the share of each gold row (green diagonal: correct).</figcaption></figure>
${confusionTable(metrics)}</section>
<section aria-labelledby="pc-h"><h2 id="pc-h">Per class</h2>${perClassTable(metrics)}</section>
${reliability(metrics)}
${misclassifiedTable(details.misclassified ?? [])}
</main>
</body>
</html>
`;
}

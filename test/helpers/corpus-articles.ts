/**
 * Project-written articles for the corpus over HTTP and on the web page: three reports of one claim
 * (one backs it, one refutes it, one only reports it), a ceasefire report, the same ceasefire body
 * under another war's headline (what the audit must flag as a wrong story), and an op-ed.
 */
import {
  CEASEFIRE_BODY,
  OTHER_WAR_HEADLINE,
  SHARK_CLAIM,
  SHARK_DISCUSSES,
  SHARK_REFUTES,
  SHARK_SUPPORTS,
  longOpEd,
} from './articles.js';

export { SHARK_CLAIM };

export interface ArticleRecord {
  id: string;
  headline: string;
  body: string;
  url?: string;
  subtitle?: string;
  published?: string;
  source?: string;
}

export const CORPUS_STORIES: readonly ArticleRecord[] = [
  {
    id: 'shark-1',
    headline: 'Bull shark filmed on flooded Dunmore motorway',
    body: SHARK_SUPPORTS,
    url: 'https://news.example/shark-1',
    published: '2026-03-03',
    source: 'Dunmore Herald',
  },
  { id: 'shark-2', headline: 'No, a shark was not swimming on the Dunmore motorway', body: SHARK_REFUTES },
  { id: 'shark-3', headline: 'Claims of shark on flooded motorway spread online', body: SHARK_DISCUSSES },
  {
    id: 'ceasefire',
    headline: 'Ceasefire in Morvania comes into force after Geneva talks',
    body: CEASEFIRE_BODY,
  },
  { id: 'swapped', headline: OTHER_WAR_HEADLINE, body: CEASEFIRE_BODY },
  {
    id: 'library',
    headline: 'Dunmore council approves library budget',
    body: longOpEd('Dunmore will get a new public library next year, the council said.', 200),
  },
];

/** The stories as a JSONL request body. */
export function storiesJsonl(stories: readonly ArticleRecord[] = CORPUS_STORIES): string {
  return `${stories.map((s) => JSON.stringify(s)).join('\n')}\n`;
}

const SENTENCES = [CEASEFIRE_BODY, SHARK_SUPPORTS, SHARK_REFUTES, SHARK_DISCUSSES].flatMap((b) =>
  b.split(/(?<=\.)\s+/),
);

/** `n` distinct project-made articles (ids `bulk-<from>`…), recombining the fixture sentences. */
export function bulkJsonl(from: number, n: number): string {
  const lines: string[] = [];
  for (let i = from; i < from + n; i++) {
    const body: string[] = [`Report number ${i} was filed from desk ${i % 17} on day ${i}.`];
    for (let k = 0; k < 12; k++) body.push(SENTENCES[(i * 7 + k * 3) % SENTENCES.length] as string);
    lines.push(JSON.stringify({ id: `bulk-${i}`, headline: `Report ${i} on events`, body: body.join(' ') }));
  }
  return `${lines.join('\n')}\n`;
}

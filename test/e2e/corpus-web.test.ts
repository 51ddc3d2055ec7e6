/**
 * The web page's Claim and Audit views in a real browser (Debian's Chromium via playwright-core)
 * against a real server with a real SQLite file, filled through the server's own ingest route with
 * project-written articles. Screenshots go to a temporary folder; STANCECHECK_SCREENSHOTS_DIR=docs
 * refreshes the ones in docs/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, NO_CHROMIUM, openReadyPage } from './browser.js';
import { startServer, type RunningServer } from '../../src/adapters/http/server.js';
import { longOpEd, SHARK_REFUTES } from '../helpers/articles.js';
import { bulkJsonl, CORPUS_STORIES, SHARK_CLAIM, storiesJsonl } from '../helpers/corpus-articles.js';
import { bundledModelPath, testModelPath } from '../http-helpers.js';

const MODEL = bundledModelPath();
const TOKEN = 'e2e-token-0123456789abcdef';
const TMP = mkdtempSync(join(tmpdir(), 'stancecheck-corpus-web-'));
const DOCS = `${process.env.STANCECHECK_SCREENSHOTS_DIR ?? join(TMP, 'shots')}/`;
const skip = NO_CHROMIUM
  ? NO_CHROMIUM
  : !MODEL
    ? 'no bundled model in models/: the corpus views are judged with real verdicts'
    : false;
if (skip) console.log(`# skipping corpus web page tests: ${skip}`);

/** Two more headlines their own bodies do not support: one contradicted, one over another story. */
const EXTRA = [
  { id: 'hoax-as-fact', headline: 'Shark filmed swimming on flooded Dunmore motorway', body: SHARK_REFUTES },
  {
    id: 'ceasefire-over-op-ed',
    headline: 'Ceasefire in Morvania comes into force after Geneva talks',
    body: longOpEd('The river promenade should stay open to cyclists all year, the columnist argues.', 200),
  },
];

after(() => rmSync(TMP, { recursive: true, force: true }));

describe('web page: Claim and Audit views on a corpus', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      workers: 1,
      model: MODEL,
      db: join(TMP, 'news.db'),
      token: TOKEN,
    });
    const res = await fetch(`${server.url}/v1/corpus/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` },
      body: storiesJsonl([...CORPUS_STORIES, ...EXTRA]),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const out = (await res.json()) as { summary: { added: number } };
    assert.equal(out.summary.added, CORPUS_STORIES.length + EXTRA.length);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  function openPage(hash = '', viewport = { width: 1200, height: 1000 }): Promise<Page> {
    return openReadyPage(browser, server.url, `${server.url}/${hash}`, viewport);
  }

  it('Claim: shows the coverage in three columns (agree / disagree / discuss) with evidence, cue words and the summary line', async () => {
    const p = await openPage();
    await p.getByRole('link', { name: 'Claim', exact: true }).click();
    assert.equal(
      await p.getByRole('link', { name: 'Claim', exact: true }).getAttribute('aria-current'),
      'page',
    );
    assert.equal(await p.locator('#view-check').isVisible(), false, 'the Check view is hidden');
    await p
      .getByText(/\d+ articles in the corpus \(sqlite\)/)
      .first()
      .waitFor();
    await p.getByLabel('Claim', { exact: true }).fill(SHARK_CLAIM);
    await p.getByRole('button', { name: 'Ask the corpus' }).click();
    await p.locator('#claim-result').waitFor({ state: 'visible' });

    assert.equal(
      (await p.locator('#claim-summary').textContent())?.trim(),
      'Of 4 related articles, 1 agree, 2 disagree, 1 discuss.',
    );
    assert.equal(
      await p.evaluate(() => document.activeElement?.id),
      'claim-summary',
      'focus moves to the answer',
    );
    const column = (s: string) => p.getByRole('region', { name: new RegExp(`^${s}`) });
    assert.match(
      (await column('agree').textContent()) ?? '',
      /Bull shark filmed on flooded Dunmore motorway/,
    );
    assert.match((await column('disagree').textContent()) ?? '', /No, a shark was not swimming/);
    assert.match(
      (await column('discuss').textContent()) ?? '',
      /Claims of shark on flooded motorway spread online/,
    );
    assert.match(
      (await column('agree').locator('.cov-meta').first().textContent()) ?? '',
      /^agree \d+% · shark-1/,
    );
    assert.ok(
      (await column('disagree').locator('.cov-evidence li').count()) >= 1,
      'the refuting articles show evidence sentences',
    );
    assert.ok(
      (await column('disagree').locator('strong.cue').count()) >= 1,
      'the words that carry the stance are highlighted',
    );
    assert.equal(
      await column('agree')
        .getByRole('link', { name: 'Bull shark filmed on flooded Dunmore motorway' })
        .getAttribute('href'),
      'https://news.example/shark-1',
    );
    mkdirSync(DOCS, { recursive: true });
    writeFileSync(`${DOCS}web-claim.png`, await p.screenshot({ fullPage: true }));

    await p.getByLabel('Claim', { exact: true }).fill('');
    await p.getByRole('button', { name: 'Ask the corpus' }).click();
    assert.match((await p.getByRole('alert').textContent()) ?? '', /Enter a claim/);
    await p.close();
  });

  it('Audit: runs only with the right token (kept in sessionStorage), then lists the flagged articles in a sortable table; scores all again when asked', async () => {
    const p = await openPage('#audit');
    await p.locator('#audit-summary').filter({ hasText: 'flagged' }).waitFor();
    assert.match(
      (await p.locator('#audit-summary').textContent()) ?? '',
      /^0 of 8 articles flagged/,
      'nothing audited yet',
    );
    assert.equal(await p.locator('#audit-table').isVisible(), false);

    await p.getByRole('button', { name: 'Run audit' }).click();
    assert.match((await p.getByRole('alert').textContent()) ?? '', /Enter the bearer token/);
    await p.getByLabel('Bearer token').fill('not-the-token-at-all');
    await p.getByRole('button', { name: 'Run audit' }).click();
    await p.getByRole('alert').filter({ hasText: 'UNAUTHORIZED' }).waitFor();

    await p.getByLabel('Bearer token').fill(TOKEN);
    await p.getByRole('button', { name: 'Run audit' }).click();
    await p.locator('#audit-table').waitFor({ state: 'visible' });
    assert.equal(
      await p
        .getByRole('alert')
        .isVisible()
        .catch(() => false),
      false,
      'the old error is gone',
    );
    assert.match(
      (await p.locator('#audit-summary').textContent()) ?? '',
      /^3 of 8 articles flagged: 2 wrong story, 1 contradicted \(8 newly scored/,
    );
    const ids = () =>
      p.locator('#audit-rows tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    const scores = async () =>
      (await p.locator('#audit-rows .audit-score').allTextContents()).map((s) => Number(s));
    const byScore = await scores();
    assert.deepEqual(
      [...byScore].sort((a, b) => b - a),
      byScore,
      'highest score first',
    );
    assert.deepEqual(new Set(await ids()), new Set(['swapped', 'hoax-as-fact', 'ceasefire-over-op-ed']));
    const row = p.locator('#audit-rows tr[data-id="hoax-as-fact"]');
    assert.match((await row.textContent()) ?? '', /contradicted/);
    assert.ok(
      ((await row.locator('.audit-reason').textContent()) ?? '').length > 10,
      'each finding says why',
    );

    // One more article stored: the findings say the older audits have not looked it up yet; the
    // next run scores it and looks the older doubted headlines up among it. A redo scores all.
    const more = await fetch(`${server.url}/v1/corpus/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` },
      body: `${JSON.stringify({ id: 'tram', headline: 'Kellerby council votes to build a tram line', body: 'Kellerby city council voted 31 to 12 on Tuesday to build a tram line from the central station to the airport. Construction of the tram line begins next spring, the council said.' })}\n`,
    });
    assert.equal(more.status, 200, await more.text());
    await p.getByRole('button', { name: 'Reload findings' }).click();
    await p.locator('#audit-summary').filter({ hasText: 'stored after the last full audit' }).waitFor();
    assert.match(
      (await p.locator('#audit-summary').textContent()) ?? '',
      /1 article was stored after the last full audit: .*run the audit to look them up/,
    );
    await p.getByRole('button', { name: 'Run audit' }).click();
    await p.locator('#audit-summary').filter({ hasText: '(1 newly scored' }).waitFor();
    const next = (await p.locator('#audit-summary').textContent()) ?? '';
    assert.match(next, /; \d+ older headlines? looked up among the articles stored since\)/);
    assert.doesNotMatch(next, /stored after/);
    await p.getByLabel('Score every article again').check();
    await p.getByRole('button', { name: 'Run audit' }).click();
    await p.locator('#audit-summary').filter({ hasText: '(9 newly scored' }).waitFor();
    assert.doesNotMatch((await p.locator('#audit-summary').textContent()) ?? '', /stored after/);
    assert.deepEqual(new Set(await ids()), new Set(['swapped', 'hoax-as-fact', 'ceasefire-over-op-ed']));

    const headlineHeader = p.getByRole('columnheader', { name: 'Headline' });
    await headlineHeader.getByRole('button').click();
    assert.equal(await headlineHeader.getAttribute('aria-sort'), 'ascending');
    const headlines = await p
      .locator('#audit-rows .audit-headline')
      .evaluateAll((cells) => cells.map((c) => c.firstChild?.textContent ?? ''));
    assert.deepEqual(
      headlines,
      [...headlines].sort((a, b) => a.localeCompare(b)),
    );
    await headlineHeader.getByRole('button').press('Enter');
    assert.equal(await headlineHeader.getAttribute('aria-sort'), 'descending', 'the keyboard sorts too');
    const scoreHeader = p.getByRole('columnheader', { name: 'Score' });
    await scoreHeader.getByRole('button').click();
    assert.equal(await scoreHeader.getAttribute('aria-sort'), 'descending');
    assert.equal(await headlineHeader.getAttribute('aria-sort'), 'none');
    await scoreHeader.getByRole('button').click();
    const ascending = await scores();
    assert.deepEqual(
      [...ascending].sort((a, b) => a - b),
      ascending,
    );
    mkdirSync(DOCS, { recursive: true });
    writeFileSync(`${DOCS}web-audit.png`, await p.screenshot({ fullPage: true }));

    await p.reload({ waitUntil: 'load' });
    assert.equal(
      await p.getByLabel('Bearer token').inputValue(),
      TOKEN,
      'the token survives a reload of the tab',
    );
    await p.locator('#audit-table').waitFor({ state: 'visible' });
    assert.equal(await p.locator('#audit-rows tr').count(), 3, 'the findings are shown again without a run');

    // A long audit shows how far it is while it runs (GET /v1/corpus/audit/progress), then hides that.
    const bulk = await fetch(`${server.url}/v1/corpus/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${TOKEN}` },
      body: bulkJsonl(0, 1000),
    });
    assert.equal(bulk.status, 200, await bulk.text());
    await p.getByLabel('Score every article again').uncheck();
    await p.getByRole('button', { name: 'Run audit' }).click();
    const shown = p.locator('#audit-progress');
    await shown.filter({ hasText: /Scoring: \d+ articles scored so far…/ }).waitFor({ state: 'visible' });
    await p.locator('#audit-summary').filter({ hasText: '(1000 newly scored' }).waitFor();
    assert.equal(await shown.isHidden(), true, 'the progress line goes when the audit ends');
    await p.close();
  });

  it('works with the keyboard alone on a phone-sized screen', async () => {
    const p = await openPage('', { width: 375, height: 740 });
    await p.locator('nav.views a[data-view="claim"]').focus();
    await p.keyboard.press('Enter');
    await p.locator('#view-claim').waitFor({ state: 'visible' });
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'claim-title');
    await p.keyboard.press('Tab');
    await p.keyboard.type(SHARK_CLAIM);
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'claim-text');
    await p.keyboard.press('Enter');
    await p.locator('#claim-result').waitFor({ state: 'visible' });
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    await p.close();
  });
});

describe('web page without a corpus', { skip: skip || (testModelPath() ? false : 'no model') }, () => {
  it('says in the Claim view how to start the server with a corpus', async () => {
    const server = await startServer({ port: 0, workers: 1, model: testModelPath() });
    const browser = await launchChromium();
    try {
      const p = await browser.newPage();
      await p.goto(`${server.url}/#claim`, { waitUntil: 'load' });
      const info = p.locator('#corpus-info-claim');
      await info.filter({ hasText: 'This server has no corpus' }).waitFor();
      assert.match((await info.textContent()) ?? '', /stancecheck serve --db PATH/);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

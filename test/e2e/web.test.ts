/**
 * The web page in a real browser: Debian's Chromium driven by playwright-core against the server
 * on a loopback port. Screenshots go to a temporary folder; STANCECHECK_SCREENSHOTS_DIR=docs refreshes
 * the ones in docs/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, NO_CHROMIUM, openReadyPage } from './browser.js';
import type { RunningServer } from '../../src/adapters/http/server.js';
import { bundledModelPath, SKIP_NO_MODEL, startTestServer } from '../http-helpers.js';
import {
  SWAPPED_HEADLINE,
  TYPICAL_BODY,
  TYPICAL_HEADLINE,
  TYPICAL_HTML,
  TYPICAL_SUBTITLE,
} from '../http-articles.js';

// The page is judged with real verdicts: use the bundled model when present ($STANCECHECK_TEST_MODEL wins).
const REAL_MODEL = process.env.STANCECHECK_TEST_MODEL ? undefined : bundledModelPath();
const DOCS = `${process.env.STANCECHECK_SCREENSHOTS_DIR ?? mkdtempSync(join(tmpdir(), 'stancecheck-shots-'))}/`;
const skip = NO_CHROMIUM ?? SKIP_NO_MODEL;
if (skip) console.log(`# skipping web page tests: ${skip}`);

describe('web page', { skip }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    server = await startTestServer(REAL_MODEL ? { model: REAL_MODEL } : {});
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPage(viewport = { width: 1100, height: 1000 }): Promise<Page> {
    page = await openReadyPage(browser, server.url, server.url, viewport);
    return page;
  }

  it('shows the verdict, a bar per label, the subtitle verdict and highlighted evidence after paste and submit', async () => {
    const p = await openPage();
    await p.getByLabel('Headline', { exact: true }).fill(TYPICAL_HEADLINE);
    await p.getByLabel('Subtitle (optional)').fill(TYPICAL_SUBTITLE);
    await p.getByLabel('Article text', { exact: true }).fill(TYPICAL_BODY);
    await p.getByRole('button', { name: 'Check' }).click();
    await p.locator('#result').waitFor({ state: 'visible' });

    const label = (await p.locator('#verdict-label').textContent())?.trim();
    assert.match(label ?? '', /^(agree|disagree|discuss|unrelated)$/);
    assert.equal(await p.locator('#verdict-bars [role="meter"]').count(), 4);
    assert.ok(((await p.locator('#verdict-reason').textContent()) ?? '').length > 10, 'a reason is shown');
    assert.equal(await p.locator('#subtitle-result').isVisible(), true);
    assert.equal(await p.locator('#subtitle-bars [role="meter"]').count(), 4);
    const marks = p.locator('#article-text mark.ev');
    assert.ok((await marks.count()) >= 1, 'evidence sentences are highlighted');
    assert.ok((await p.locator('#article-text p').count()) > 3, 'the article keeps its paragraphs');
    assert.ok(
      (await p.locator('#evidence-list strong.cue').count()) >= 1,
      'the words that carry the stance are marked in the evidence',
    );
    for (const cues of await p.locator('#evidence-list .ev-cues').allTextContents())
      assert.doesNotMatch(cues, /\(overlap;/, 'evidence is labelled in words');
    assert.match(
      (await p.locator('#evidence-list .ev-who').first().textContent()) ?? '',
      /sentence \d+/,
      'evidence shows its sentence number',
    );
    assert.equal(
      await p.evaluate(() => document.activeElement?.id),
      'verdict-heading',
      'focus moves to the verdict',
    );

    mkdirSync(DOCS, { recursive: true });
    writeFileSync(`${DOCS}web-page.png`, await p.screenshot({ fullPage: true }));
    await p.close();
  });

  it('clears the previous verdict when an input changes and after "Try an example"', async () => {
    const p = await openPage();
    await p.getByLabel('Headline', { exact: true }).fill(TYPICAL_HEADLINE);
    await p.getByLabel('Article text', { exact: true }).fill(TYPICAL_BODY);
    await p.getByRole('button', { name: 'Check' }).click();
    await p.locator('#result').waitFor({ state: 'visible' });
    await p.getByLabel('Headline', { exact: true }).fill(SWAPPED_HEADLINE);
    assert.equal(await p.locator('#result').isVisible(), false, 'an edited headline hides the old verdict');
    await p.getByRole('button', { name: 'Check' }).click();
    await p.locator('#result').waitFor({ state: 'visible' });
    await p.getByRole('button', { name: 'Try an example' }).click();
    assert.equal(await p.locator('#result').isVisible(), false, 'the example hides the old verdict');
    await p.close();
  });

  it('says a swapped headline is checked against an unrelated body and shows the reason', async () => {
    const p = await openPage();
    await p.getByLabel('Headline', { exact: true }).fill(SWAPPED_HEADLINE);
    await p.getByLabel('Article text', { exact: true }).fill(TYPICAL_BODY);
    await p.getByLabel('Article text', { exact: true }).press('Control+Enter');
    await p.locator('#result').waitFor({ state: 'visible' });
    const reason = ((await p.locator('#verdict-reason').textContent()) ?? '').trim();
    assert.ok(reason.length > 0, 'the reason is shown');
    if (REAL_MODEL) {
      assert.equal((await p.locator('#verdict-label').textContent())?.trim(), 'unrelated');
      assert.match(reason, /chess/i, 'the reason names the missing headline words');
      assert.equal(
        await p.locator('#unrelated-note').isVisible(),
        true,
        'marked sentences are explained as merely the closest',
      );
      writeFileSync(`${DOCS}web-page-unrelated.png`, await p.locator('#result').screenshot());
    }
    assert.equal(await p.locator('#subtitle-result').isVisible(), false, 'no subtitle, no subtitle verdict');
    await p.close();
  });

  it('checks pasted article HTML and shows the extracted headline', async () => {
    const p = await openPage();
    await p.getByLabel("An article page's HTML").check();
    await p.getByLabel('Article page HTML', { exact: true }).fill(TYPICAL_HTML);
    await p.getByRole('button', { name: 'Check' }).click();
    await p.locator('#result').waitFor({ state: 'visible' });
    assert.match((await p.locator('#verdict-claim').textContent()) ?? '', /tram line/);
    assert.ok((await p.locator('#article-text mark.ev').count()) >= 1);
    await p.close();
  });

  it('loads a dropped-in .txt file through the file input', async () => {
    const p = await openPage();
    await p.getByLabel('Or open a .txt or .html file').setInputFiles({
      name: 'article.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(`${TYPICAL_HEADLINE}\n\n${TYPICAL_BODY}\n`),
    });
    await p.waitForFunction(() => (document.getElementById('headline') as HTMLInputElement).value !== '');
    assert.equal(await p.getByLabel('Headline', { exact: true }).inputValue(), TYPICAL_HEADLINE);
    await p.close();
  });

  it('switches to HTML mode when an .html file is dropped on the form, and checks it', async () => {
    const p = await openPage();
    const dataTransfer = await p.evaluateHandle((html) => {
      const dt = new DataTransfer();
      dt.items.add(new File([html], 'article.html', { type: 'text/html' }));
      return dt;
    }, TYPICAL_HTML);
    await p.dispatchEvent('#drop-zone', 'drop', { dataTransfer });
    await p.waitForFunction(() => (document.getElementById('html') as HTMLTextAreaElement).value !== '');
    assert.equal(await p.getByLabel("An article page's HTML").isChecked(), true);
    await p.getByRole('button', { name: 'Check' }).click();
    await p.locator('#result').waitFor({ state: 'visible' });
    assert.equal((await p.locator('#verdict-claim').textContent())?.replace(/[“”]/g, ''), TYPICAL_HEADLINE);
    await p.close();
  });

  it('shows the server error with its code when a field is empty', async () => {
    const p = await openPage();
    await p.getByLabel('Headline', { exact: true }).fill('Some headline');
    await p.getByLabel('Article text', { exact: true }).fill('   ');
    await p.getByRole('button', { name: 'Check' }).click();
    const alert = p.getByRole('alert');
    await alert.waitFor({ state: 'visible' });
    assert.match((await alert.textContent()) ?? '', /article text/i);
    await p.close();
  });

  it('works on a phone-sized screen using only the keyboard', async () => {
    const p = await openPage({ width: 375, height: 740 });
    await p.locator('#headline').focus();
    await p.keyboard.type(TYPICAL_HEADLINE);
    await p.keyboard.press('Tab'); // subtitle
    await p.keyboard.press('Tab'); // article text
    await p.keyboard.insertText(TYPICAL_BODY);
    await p.keyboard.press('Control+Enter');
    await p.locator('#result').waitFor({ state: 'visible' });
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    writeFileSync(`${DOCS}web-page-phone.png`, await p.screenshot({ fullPage: false }));
    await p.close();
  });
});

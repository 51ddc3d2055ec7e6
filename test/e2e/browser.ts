/**
 * What the browser tests share: Debian's Chromium through playwright-core, why they skip when it
 * is missing, and opening the page until the app says it is ready.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when Chromium is installed. */
export const NO_CHROMIUM = existsSync(CHROMIUM)
  ? undefined
  : `Chromium not found at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`;

/** Headless Chromium, quiet (no first-run, sync, background or component traffic). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens `url` in a new page and waits until the app is ready; asserts that the page loaded nothing
 * from other hosts than `origin` and threw no error on the way.
 */
export async function openReadyPage(
  browser: Browser,
  origin: string,
  url: string,
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const external: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(origin)) external.push(r.url());
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(
    () => (window as unknown as { stancecheckReady?: boolean }).stancecheckReady === true,
  );
  assert.deepEqual(external, [], 'the page loads nothing from other hosts');
  assert.deepEqual(errors, []);
  return page;
}

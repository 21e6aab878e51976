// Opens a built web app in Chromium (Playwright, Debian's chromium) and watches what a
// user's console would show: failed requests, HTTP errors, console errors, page errors.
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions, chromiumPath, missingBrowser } from '../../browser/browsers.ts';

/** Why the page cannot be opened here (no Chromium), or undefined. */
export const chromiumMissing = () => missingBrowser('chromium', chromiumPath);

/**
 * Loads `url` and waits until the page shows every line matching `until` (regexes over
 * the body text). Resolves with `{ text, problems, requests }`; `requests` lists each
 * request's URL and status in order, with `beforeDone` telling whether it was made before
 * the last awaited line appeared.
 */
export async function openPage(url, until, { timeoutMs = 60_000 } = {}) {
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage();
    const problems = [];
    const requests = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      requests.push({ url: r.url(), status: r.status() });
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
    });
    await page.goto(url);
    await page.waitForFunction((sources) => sources.every((s) => new RegExp(s, 'm').test(document.body.innerText)), until.map((r) => r.source), { timeout: timeoutMs, polling: 50 });
    const text = await page.evaluate(() => document.body.innerText);
    return { text, problems, requests };
  } finally {
    await browser.close();
  }
}

// Chromium stage: Debian's Chromium driven by Playwright (playwright-core, the same launch
// options as playwright.config.ts), opening the conformance page under its strict CSP.
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions, chromiumPath, missingBrowser } from '../../browser/browsers.ts';
import { browserEntry, PAGE_TIMEOUT_MS, pageFailure, pageUrl } from './page.mjs';

export const name = 'chromium';

export function missing() {
  return missingBrowser('chromium', chromiumPath);
}

export async function run(env) {
  const browser = await chromium.launch(chromiumLaunchOptions);
  const consoleLines = [];
  let page;
  try {
    page = await browser.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    await page.goto(pageUrl(env));
    await page.waitForFunction(() => window.__conformance !== undefined, undefined, { timeout: PAGE_TIMEOUT_MS, polling: 200 });
    return { ...(await page.evaluate(() => window.__conformance)), entry: browserEntry };
  } catch (error) {
    const problems = page ? await page.evaluate(() => window.__pageProblems ?? []).catch(() => []) : [];
    return pageFailure(error, problems, consoleLines);
  } finally {
    await browser.close();
  }
}

// Firefox stage: Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi,
// opening the same conformance page under the same strict CSP.
import puppeteer from 'puppeteer-core';
import { firefoxLaunchOptions, firefoxPath, missingBrowser } from '../../browser/browsers.ts';
import { browserEntry, PAGE_TIMEOUT_MS, pageFailure, pageUrl } from './page.mjs';

export const name = 'firefox';

export function missing() {
  return missingBrowser('firefox-esr', firefoxPath);
}

export async function run(env) {
  const browser = await puppeteer.launch(firefoxLaunchOptions);
  const consoleLines = [];
  let page;
  try {
    page = await browser.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    await page.goto(pageUrl(env));
    await page.waitForFunction(() => window.__conformance !== undefined, { timeout: PAGE_TIMEOUT_MS, polling: 200 });
    return { ...(await page.evaluate(() => window.__conformance)), entry: browserEntry };
  } catch (error) {
    const problems = page ? await page.evaluate(() => window.__pageProblems ?? []).catch(() => []) : [];
    return pageFailure(error, problems, consoleLines);
  } finally {
    await browser.close();
  }
}

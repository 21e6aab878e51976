// Firefox stage: Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi,
// opening the same conformance page under the same strict CSP.
import puppeteer from 'puppeteer-core';
import { firefoxLaunchOptions, firefoxPath, missingBrowser } from '../../browser/browsers.ts';
import { PAGE_TIMEOUT_MS, runConformancePage } from './page.mjs';

export const name = 'firefox';

export function missing() {
  return missingBrowser('firefox-esr', firefoxPath);
}

export async function run(env) {
  return runConformancePage(await puppeteer.launch(firefoxLaunchOptions), env,
    (page, global = '__conformance') => page.waitForFunction((g) => window[g] !== undefined, { timeout: PAGE_TIMEOUT_MS, polling: 200 }, global));
}

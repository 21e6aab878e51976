// Chromium stage: Debian's Chromium driven by Playwright (playwright-core), launched as
// playwright.config.ts configures it, opening the conformance page under its strict CSP.
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions, chromiumPath, missingBrowser } from '../../browser/browsers.ts';
import { PAGE_TIMEOUT_MS, runConformancePage } from './page.mjs';

export const name = 'chromium';

export function missing() {
  return missingBrowser('chromium', chromiumPath);
}

export async function run(env) {
  return runConformancePage(await chromium.launch(chromiumLaunchOptions), env,
    (page, global = '__conformance') => page.waitForFunction((g) => window[g] !== undefined, global, { timeout: PAGE_TIMEOUT_MS, polling: 200 }));
}

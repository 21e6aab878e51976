// What both browser stages share: the page URL and how to wait for its results.
import { readPackageJson, resolveExport, runtimeConditions } from '../support/exports.mjs';

/** What the page's `import '/mpl-sdk'` loads: the assets server redirects to this file. */
export const browserEntry = `/mpl-sdk → ${resolveExport(readPackageJson(), '.', runtimeConditions.browser)}`;

/** The conformance page with the run's environment in its query string. */
export function pageUrl(env) {
  return `${env.assetsUrl}/browser/conformance.html?env=${encodeURIComponent(JSON.stringify(env))}`;
}

export const PAGE_TIMEOUT_MS = 180_000;

/** Turns "the page never produced results" into a failed case with everything the page said. */
export function pageFailure(error, problems, consoleLines) {
  return {
    passed: 0,
    failed: 1,
    results: [{ name: 'runner: the page loads the package and runs the suite', ok: false,
      error: `${error?.message ?? error}\npage problems: ${problems.join(' | ') || 'none'}\nconsole: ${consoleLines.slice(-20).join('\n')}` }],
  };
}

/**
 * Opens the conformance page in a launched browser (Playwright and puppeteer pages share
 * this API, but for the arguments of waitForFunction: `waitForResults` supplies them),
 * returns the page's results, and closes the browser whatever happens.
 */
export async function runConformancePage(browser, env, waitForResults) {
  const consoleLines = [];
  let page;
  try {
    page = await browser.newPage();
    page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
    await page.goto(pageUrl(env));
    await waitForResults(page);
    return { ...(await page.evaluate(() => window.__conformance)), entry: browserEntry };
  } catch (error) {
    const problems = page ? await page.evaluate(() => window.__pageProblems ?? []).catch(() => []) : [];
    return pageFailure(error, problems, consoleLines);
  } finally {
    await browser.close();
  }
}

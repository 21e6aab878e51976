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
 * this API, but for the arguments of waitForFunction: `waitForResults(page, global)` supplies
 * them, waiting for `window[global]`, by default `__conformance`),
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
    const conformance = await page.evaluate(() => window.__conformance);
    const refused = [...await cspRefusedCases(browser, env, waitForResults), ...await serviceWorkerCases(browser, env, waitForResults)];
    return {
      ...conformance,
      passed: conformance.passed + refused.filter((c) => c.ok).length,
      failed: conformance.failed + refused.filter((c) => !c.ok).length,
      results: [...conformance.results, ...refused],
      entry: browserEntry,
    };
  } catch (error) {
    const problems = page ? await page.evaluate(() => window.__pageProblems ?? []).catch(() => []) : [];
    return pageFailure(error, problems, consoleLines);
  } finally {
    await browser.close();
  }
}

/**
 * The page under a policy without 'wasm-unsafe-eval' (test/browser/csp-refused.mjs): each
 * hash fails with E-WASM-LOAD naming the fix, the module is fetched once, the inlined copy
 * (refused alike) never. Returned as cases beside the conformance page's.
 */
async function cspRefusedCases(browser, env, waitForResults) {
  const name = "a page whose CSP lacks 'wasm-unsafe-eval': E-WASM-LOAD says to add it; blake3.wasm fetched once, the inlined copy not tried";
  const page = await browser.newPage();
  const counts = async () => (await fetch(`${env.assetsUrl}/strict-fetches`)).json();
  try {
    const before = await counts(); // the assets server serves every stage of the run
    await page.goto(`${env.assetsUrl}/strict/page/csp-refused.html`);
    await waitForResults(page, '__cspRefused');
    const { failures, violations } = await page.evaluate(() => window.__cspRefused);
    const after = await counts();
    const fetches = { wasm: after.wasm - before.wasm, inlined: after.inlined - before.inlined };
    const problems = [];
    failures.forEach((f, i) => {
      if (f.resolved) return problems.push(`attempt ${i + 1} resolved`);
      if (!f.isMplError || f.code !== 'E-WASM-LOAD') problems.push(`attempt ${i + 1}: ${f.code} ${f.message}`);
      if (!/add 'wasm-unsafe-eval', which allows WebAssembly only, to the script-src of the page's Content-Security-Policy/.test(f.message)) problems.push(`attempt ${i + 1} does not name the fix: ${f.message}`);
      if (!f.policy) problems.push(`attempt ${i + 1}: details.contentSecurityPolicy is not true`);
    });
    if (fetches.wasm !== 1) problems.push(`blake3.wasm fetched ${fetches.wasm} times`);
    if (fetches.inlined !== 0) problems.push(`the inlined copy fetched ${fetches.inlined} times`);
    if (violations.length > 1) problems.push(`${violations.length} policy violations reported: ${violations.join(', ')}`);
    return [{ name, ok: problems.length === 0, ...(problems.length ? { error: problems.join('\n') } : {}) }];
  } catch (error) {
    return [{ name, ok: false, error: String(error?.message ?? error) }];
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * The package in a module service worker (test/browser/service-worker.mjs), where import()
 * is forbidden: a hash fails with E-MODULE-LOAD saying to bundle without code splitting.
 */
async function serviceWorkerCases(browser, env, waitForResults) {
  const name = 'in a service worker (no import() there): E-MODULE-LOAD says to bundle it without code splitting';
  const page = await browser.newPage();
  try {
    const entry = resolveExport(readPackageJson(), '.', runtimeConditions.browser);
    if (entry !== './dist/index.js') return [{ name, ok: false, error: `the service worker imports /pkg/dist/index.js, but the browser entry is ${entry}` }];
    await page.goto(`${env.assetsUrl}/browser/service-worker.html`);
    await waitForResults(page, '__serviceWorker');
    const seen = await page.evaluate(() => window.__serviceWorker);
    const ok = seen.isMplError === true && seen.code === 'E-MODULE-LOAD' && /in a service worker nothing loads on demand: bundle it without code splitting/.test(seen.message);
    return [{ name, ok, ...(ok ? {} : { error: JSON.stringify(seen) }) }];
  } catch (error) {
    return [{ name, ok: false, error: String(error?.message ?? error) }];
  } finally {
    await page.close().catch(() => {});
  }
}

// Where the test browsers are and how to start them: Debian's Chromium (driven by
// Playwright) and Debian's Firefox ESR (driven by puppeteer-core over WebDriver BiDi;
// Playwright cannot drive a stock Firefox). The one source of these paths and launch
// options for every browser test: the runtime stages, test/demo and test/session.
import { existsSync } from 'node:fs';

/** Chromium: `MPL_CHROMIUM` or Debian's package. */
export const chromiumPath = process.env['MPL_CHROMIUM'] ?? '/usr/bin/chromium';
/** Firefox: `MPL_FIREFOX` or Debian's package. */
export const firefoxPath = process.env['MPL_FIREFOX'] ?? '/usr/bin/firefox-esr';

/** Launch options for Playwright's `chromium.launch` (root in a container needs --no-sandbox). */
export const chromiumLaunchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
};

/** Launch options for puppeteer-core's `launch` with Firefox over WebDriver BiDi. */
export const firefoxLaunchOptions = {
  browser: 'firefox' as const,
  executablePath: firefoxPath,
  headless: true,
  protocol: 'webDriverBiDi' as const,
  extraPrefsFirefox: { 'browser.shell.checkDefaultBrowser': false, 'datareporting.policy.dataSubmissionEnabled': false },
};

/**
 * Undefined when the browser is there; otherwise the loud line to print. Under CI
 * (`CI=true`) a missing browser is a failure, locally a skip.
 */
export function missingBrowser(name: 'chromium' | 'firefox-esr', path: string): string | undefined {
  if (existsSync(path)) return undefined;
  return `!!! ${name} not found at ${path}: install it with \`apt-get install -y chromium firefox-esr\` (Debian), or set ${name === 'chromium' ? 'MPL_CHROMIUM' : 'MPL_FIREFOX'}`;
}

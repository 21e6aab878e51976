// Where the test browsers are and how to start them: Debian's Chromium (driven by
// Playwright) and Debian's Firefox ESR (driven by puppeteer-core over WebDriver BiDi;
// Playwright cannot drive a stock Firefox). The one source of these paths and launch
// options for every browser test: the runtime stages, test/demo and test/session.
import { existsSync } from 'node:fs';
import playwrightConfig from '../../playwright.config.ts';

const chromium = playwrightConfig.use?.launchOptions ?? {};
/** Chromium: as playwright.config.ts configures it (`MPL_CHROMIUM` or Debian's package). */
export const chromiumPath = chromium.executablePath ?? '/usr/bin/chromium';
/** Firefox: `MPL_FIREFOX` or Debian's package. */
export const firefoxPath = process.env['MPL_FIREFOX'] ?? '/usr/bin/firefox-esr';

/** Launch options for Playwright's `chromium.launch`: those of playwright.config.ts. */
export const chromiumLaunchOptions = { ...chromium, executablePath: chromiumPath, headless: true };

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

// Playwright settings for this project's browser tests: Debian's Chromium, never a
// downloaded build (nothing can download one here). Every Chromium launch of the test
// suites (the conformance stage, the demo page test, the Session browser test) takes its
// executable and launch options from here, through test/browser/browsers.ts.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/browser',
  outputDir: 'test-results',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env['MPL_CHROMIUM'] ?? '/usr/bin/chromium',
      // Root in a container needs --no-sandbox; the rest keep Chromium from reaching for a
      // network this machine does not have (background updates, sync, QUIC).
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});

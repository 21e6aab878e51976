// Playwright Test settings for the browser tests (test/browser/*.spec.ts): Debian's
// Chromium, never a downloaded browser. The conformance suite's Chromium and Firefox
// stages (test/runtimes/browsers/) use the same launch options from test/browser/browsers.ts.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/browser/browsers.ts';

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  workers: 1,
  forbidOnly: process.env['CI'] === 'true',
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    screenshot: 'on',
    trace: 'retain-on-failure',
  },
});

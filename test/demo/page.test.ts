import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { chromiumLaunchOptions, firefoxLaunchOptions } from '../browser/browsers.ts';
import { semanticHash } from '../../src/hashing/index.ts';
import { startReferenceServer, type ReferenceServer } from '../../demo/server/index.ts';

const SCREENSHOT = 'test-results/demo-page.png';

describe('the browser demo page, in Chromium under its strict CSP', () => {
  let server: ReferenceServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    server = await startReferenceServer({ mode: 'production', pushOnConnect: true });
    browser = await chromium.launch(chromiumLaunchOptions);
    page = await browser.newPage({ viewport: { width: 1180, height: 1000 } });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (/Content Security Policy/i.test(text) || (message.type() === 'error' && !text.startsWith('Failed to load resource'))) problems.push(`console: ${text}`);
    });
    await page.goto(`${server.url}/`);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('connects over WebSocket to its own origin and shows the negotiated capabilities', async () => {
    await page.locator('#status[data-state="connected"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.inputValue('#endpoint'), server.wsUrl);
    const stypes = await page.locator('#caps-stypes .tag').allTextContents();
    assert.deepEqual(stypes, ['org.calendar.Event.v1', 'org.agent.TaskPlan.v1', 'org.agent.TaskResult.v1', 'org.agent.Heartbeat.v1']);
    assert.equal(await page.textContent('#caps-profile'), 'qom-basic');
  });

  it('logs what the server pushed and answers the task plan', async () => {
    await page.locator('#log li', { hasText: 'org.agent.TaskResult.v1' }).waitFor({ timeout: 10_000 });
    const log = (await page.locator('#log li').allTextContents()).join('\n');
    assert.match(log, /org\.agent\.TaskPlan\.v1\s*b3:[0-9a-f]+…\s*Prepare the quarterly review/);
    assert.match(log, /org\.agent\.Heartbeat\.v1/);
    const answer = server.recorded.find((r) => (r.wire as { stype?: string }).stype === 'org.agent.TaskResult.v1');
    assert.ok(answer?.valid && answer.hashOk, 'the server received a valid, hashed task result from the page');
  });

  it('sends the event and shows the semantic hash and the server\'s reply', async () => {
    await page.click('#send');
    await page.locator('#reply-hash', { hasText: /^b3:[0-9a-f]{64}$/ }).waitFor({ timeout: 10_000 });
    const sent = { title: 'Architecture Review', start: '2026-12-01T14:00:00Z', duration_minutes: 60, attendees: ['alice@example.com', 'bob@example.com'] };
    assert.equal(await page.textContent('#request-hash'), await semanticHash(sent));
    assert.match(await page.textContent('#reply-summary') ?? '', /org\.calendar\.Event\.v1 · confirmed as evt-\d+/);
    const reply = JSON.parse(await page.textContent('#reply-payload') ?? '{}');
    assert.equal(reply.end, '2026-12-01T15:00:00Z');
    assert.equal(await page.textContent('#reply-hash'), await semanticHash(reply));
    assert.match(await page.textContent('#reply-qom') ?? '', /^meets qom-basicschemaFidelity 1/);
    const seen = server.recorded.find((r) => (r.wire as { stype?: string }).stype === 'org.calendar.Event.v1');
    assert.ok(seen?.valid && seen.hashOk);
  });

  it('shows validation errors next to the fields they concern', async () => {
    const before = server.recorded.length;
    await page.fill('#title', '');
    await page.fill('#attendees', 'alice@example.com, not-an-email');
    await page.click('#send');
    await page.locator('#title-error:not(:empty)').waitFor({ timeout: 5000 });
    assert.match(await page.textContent('#attendees-error') ?? '', /^attendee 2: /);
    assert.equal(await page.getAttribute('#title', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#attendees', 'aria-invalid'), 'true');
    assert.equal(await page.textContent('#start-error'), '');
    assert.equal(server.recorded.length, before, 'nothing invalid was sent');
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('ran without script errors or CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});

describe('the browser demo page, in Firefox ESR', () => {
  it('connects, sends an event and shows the reply and its hash', async () => {
    const server = await startReferenceServer({ pushOnConnect: true });
    const browser = await puppeteer.launch(firefoxLaunchOptions);
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(`${server.url}/`);
      // Each wait is for the page's own outcome, success or failure (bounded by the test's
      // time limit, not by a guess at how fast a loaded machine runs Firefox).
      await page.waitForSelector('#status[data-state="connected"], #status[data-state="error"]', { timeout: 0 });
      assert.equal(await page.$eval('#status', (e) => (e as HTMLElement).dataset['state']), 'connected', await page.$eval('#connect-error', (e) => e.textContent ?? ''));
      await page.waitForSelector('#log li', { timeout: 0 });
      // A locator clicks once the button is enabled, visible and no longer moving (page.click
      // clicks where the button was when it looked, which a layout change can move).
      await page.locator('#send').setTimeout(0).click();
      await page.waitForFunction(() => /^b3:[0-9a-f]{64}$/.test(document.querySelector('#reply-hash')?.textContent ?? '')
        || [...document.querySelectorAll('.field-error')].some((e) => e.textContent !== ''), { timeout: 0 });
      const shown = await page.$$eval('.field-error', (all) => all.map((e) => e.textContent).filter((text) => text !== ''));
      assert.deepEqual(shown, [], 'the send failed');
      const summary = await page.$eval('#reply-summary', (e) => e.textContent);
      assert.match(summary ?? '', /confirmed as evt-\d+/);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});

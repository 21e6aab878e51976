// The built Session in Chromium and Firefox: a page on one origin talks to an MPL server on
// another. WebSocket works across origins; HTTP to a server without CORS headers fails
// the way browsers make it fail (a bare TypeError), which must arrive as a ConnectionError
// that names CORS as the likely cause. A chunk the page cannot fetch (offline) fails the call
// that needs it with E-MODULE-LOAD.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { chromiumLaunchOptions, chromiumPath, firefoxLaunchOptions, firefoxPath } from '../browser/browsers.ts';
import { startTestServer, type TestServer } from '../support/mpl-test-server.ts';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json', '.html': 'text/html' };

/** What the page does, given the MPL server's port. Runs in the browser. */
async function pageScript(port: number): Promise<unknown> {
  const { Session, ConnectionError } = await import('/dist/index.js' as string);
  const ws = await Session.open({ endpoint: `ws://127.0.0.1:${port}/ws`, stypes: ['org.calendar.Event.v1', 'org.agent.Heartbeat.v1'], timeoutMs: 10_000 });
  const reply = await ws.send('org.calendar.Event.v1', { title: 'Team Sync', start: '2024-01-15T10:00:00Z', duration_minutes: 30 });
  await ws.close();
  const http = new Session({ endpoint: `http://127.0.0.1:${port}/mcp`, stypes: ['org.calendar.Event.v1'] });
  let corsError: { isConnectionError: boolean; message: string; code: string } | undefined;
  try {
    await http.connect();
  } catch (e) {
    const error = e as Error & { code: string };
    corsError = { isConnectionError: error instanceof ConnectionError, message: error.message, code: error.code };
  }
  await http.close();
  return { semHash: reply.semHash, corsError };
}

/** A page offline for the SDK's on-demand chunks: each call that needs one, and what it rejects with. Runs in the browser. */
async function offlineScript(port: number): Promise<unknown> {
  const { Session, SchemaValidator, MplError } = await import('/dist/index.js' as string);
  const results: Record<string, unknown> = {};
  // No function values here: the test's compiler would wrap them in a helper the page lacks.
  for (const name of ['ws', 'http', 'validate']) {
    try {
      if (name === 'ws') await new Session({ endpoint: `ws://127.0.0.1:${port}/ws`, stypes: ['org.calendar.Event.v1'], timeoutMs: 10_000 }).connect();
      else if (name === 'http') await new Session({ endpoint: `http://127.0.0.1:${port}/mcp`, stypes: ['org.calendar.Event.v1'], timeoutMs: 10_000 }).connect();
      else await new SchemaValidator().validate('org.calendar.Event.v1', { title: 'Sync', start: '2024-01-15T10:00:00Z' });
      results[name] = 'resolved';
    } catch (e) {
      const error = e as Error & { code?: string; details?: { module?: string } };
      results[name] = { isMplError: error instanceof MplError, code: error.code, module: error.details?.module, message: error.message };
    }
  }
  return results;
}

describe('Session in browsers (built bundle)', () => {
  let server: TestServer;
  let pages: Server;
  let pageOrigin = '';
  before(async () => {
    server = await startTestServer();
    pages = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/') { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>session</title>'); return; }
      const file = normalize(join(dist, path.replace(/^\/dist\//, '')));
      if (!path.startsWith('/dist/') || !file.startsWith(dist)) { res.writeHead(404).end(); return; }
      readFile(file).then((body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body), () => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pageOrigin = `http://127.0.0.1:${(pages.address() as { port: number }).port}`;
  });
  after(async () => { pages.closeAllConnections(); await new Promise((r) => pages.close(r)); await server.close(); });

  const check = (result: unknown): void => {
    const r = result as { semHash: string; corsError?: { isConnectionError: boolean; message: string; code: string } };
    assert.equal(r.semHash, 'b3:56e303e43d35d0220f2569fea73618cbfdf14b1fee2168fc4bf3f8bacd3e4f4c');
    assert.ok(r.corsError, 'HTTP to a server without CORS headers must fail in a browser');
    assert.equal(r.corsError.isConnectionError, true);
    assert.equal(r.corsError.code, 'E-CONNECTION-FAILED');
    assert.match(r.corsError.message, /CORS/);
  };

  it('works over WebSocket across origins and names CORS when HTTP is blocked (Chromium)', { skip: !existsSync(chromiumPath) && 'no Chromium' }, async () => {
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      const page = await browser.newPage();
      await page.goto(pageOrigin);
      check(await page.evaluate(pageScript, server.port));
    } finally {
      await browser.close();
    }
  });

  it('works over WebSocket across origins and names CORS when HTTP is blocked (Firefox)', { skip: !existsSync(firefoxPath) && 'no Firefox' }, async () => {
    const browser = await puppeteer.launch(firefoxLaunchOptions);
    try {
      const page = await browser.newPage();
      await page.goto(pageOrigin);
      check(await page.evaluate(pageScript, server.port));
    } finally {
      await browser.close();
    }
  });

  it('an on-demand chunk the page cannot fetch (offline) rejects the call that needs it with E-MODULE-LOAD naming it (Chromium)', { skip: !existsSync(chromiumPath) && 'no Chromium' }, async () => {
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      const page = await browser.newPage();
      await page.goto(pageOrigin);
      await page.route(/\/dist\/(websocket-transport|http-link|engine)\.js$/, (route) => route.abort('internetdisconnected'));
      const result = await page.evaluate(offlineScript, server.port) as Record<string, { isMplError: boolean; code: string; module: string; message: string }>;
      for (const [call, part] of [['ws', 'WebSocket transport'], ['http', 'HTTP transport'], ['validate', 'schema validator engine']] as const) {
        assert.equal(result[call]?.isMplError, true, `${call}: ${JSON.stringify(result[call])}`);
        assert.equal(result[call]?.code, 'E-MODULE-LOAD');
        assert.equal(result[call]?.module, part);
        assert.match(result[call]!.message, new RegExp(`^Could not load mpl-sdk's ${part}, which loads on first use`));
      }
    } finally {
      await browser.close();
    }
  });
});

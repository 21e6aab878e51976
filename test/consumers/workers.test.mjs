// Cloudflare Workers that installed the packed package, built the three ways users build
// them (Vite with @cloudflare/vite-plugin, wrangler, esbuild), each output run in workerd
// by plain Miniflare against the reference server.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startWorker } from './apps/worker/miniflare.mjs';
import { assertReport, startServer } from './support/expect.mjs';
import { filesOf, makeProject, toolPath } from './support/project.mjs';

const workerFiles = { 'worker.js': 'worker/worker.js', 'wrangler.toml': 'worker/wrangler.toml' };

/** Checks a Worker build output (no inlined wasm, the .wasm beside it), runs its main module in workerd and checks the report. */
async function runBuiltWorker(outDir, main, server) {
  const files = await filesOf(outDir);
  assert.equal(files.filter((f) => f.endsWith('.wasm')).length, 1, `one .wasm in the output (${files.join(', ')})`);
  for (const file of files.filter((f) => /\.m?js$/.test(f))) {
    const text = await readFile(join(outDir, file), 'utf8');
    assert.doesNotMatch(text, /AGFzbQ|blake3WasmBase64/, `${file} carries no inlined copy of the wasm`);
    assert.doesNotMatch(text, /\bimport\((?!\s*["'`])/, `${file} has no import(variable)`);
  }
  const mf = startWorker(join(outDir, main), { MPL_ENDPOINT: server.wsUrl });
  try {
    const response = await mf.dispatchFetch('http://worker.test/');
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assertReport(text, server);
  } finally {
    await mf.dispose();
  }
}

describe('Workers bundling the packed package, run in workerd', { concurrency: 2 }, () => {
  let server;
  before(async () => { server = await startServer(); });
  after(() => server?.close());

  it('Vite + @cloudflare/vite-plugin: `vite build`, then the built Worker', async () => {
    const project = await makeProject('cf-vite', {
      files: { ...workerFiles, 'vite.config.js': 'worker/vite.config.js' },
      tools: ['vite', '@cloudflare/vite-plugin', 'wrangler'],
    });
    try {
      await project.run(process.execPath, [toolPath('vite/bin/vite.js'), 'build']);
      const out = join(project.dir, 'dist/mpl_sdk_consumer');
      const config = JSON.parse(await readFile(join(out, 'wrangler.json'), 'utf8'));
      await runBuiltWorker(out, config.main, server);
    } finally {
      await project.remove();
    }
  });

  it('wrangler 4.86 (the last on Node 20): `wrangler deploy --dry-run --outdir`, then the bundle', async () => {
    const project = await makeProject('wrangler', { files: workerFiles });
    try {
      await project.run(process.execPath, [toolPath('wrangler-node20/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', 'out'], {
        env: { WRANGLER_SEND_METRICS: 'false', CI: 'true' },
      });
      await runBuiltWorker(join(project.dir, 'out'), 'worker.js', server);
    } finally {
      await project.remove();
    }
  });

  it('esbuild + plain Miniflare, as the README shows', async () => {
    const project = await makeProject('esbuild-worker', { files: { 'worker.js': 'worker/worker.js', 'esbuild.mjs': 'worker/esbuild.mjs' }, tools: ['esbuild'] });
    try {
      await project.run(process.execPath, ['esbuild.mjs']);
      await runBuiltWorker(join(project.dir, 'dist'), 'worker.js', server);
    } finally {
      await project.remove();
    }
  });
});

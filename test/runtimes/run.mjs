// The runtime stages of `npm test`: runs the portable conformance suite
// (test/conformance) against the BUILT package in Node (20, 22, 24), Deno, Bun, workerd,
// Chromium and Firefox, each loading the package its own way, talking to one reference MPL server
// (demo/server) on an ephemeral port. Needs tsx (the reference server and the browser
// settings are TypeScript): `node --import tsx test/runtimes/run.mjs [runtime…] [--counts file]`.
// Prints one line per runtime, `<runtime>: N passed, N failed`, and, with --counts, writes
// the totals as JSON for test/run.mjs.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReferenceServer } from '../../demo/server/index.ts';
import { startTestServer } from '../support/mpl-test-server.ts';
import { packageRoot } from './support/exports.mjs';
import { startAssetsServer } from './support/assets-server.mjs';
import { makeSecondInstall } from './support/second-install.mjs';
import { node, node22, node24 } from './node/stage.mjs';
import * as denoStage from './deno/stage.mjs';
import * as bunStage from './bun/stage.mjs';
import * as workerdStage from './workerd/stage.mjs';
import * as chromiumStage from './browsers/chromium-stage.mjs';
import * as firefoxStage from './browsers/firefox-stage.mjs';

const stages = [node, node22, node24, denoStage, bunStage, workerdStage, chromiumStage, firefoxStage];
const args = process.argv.slice(2);
const countsAt = args.indexOf('--counts');
const countsFile = countsAt >= 0 ? args[countsAt + 1] : undefined;
const wanted = args.filter((a, i) => !a.startsWith('--') && (countsAt < 0 || i !== countsAt + 1));
const ci = process.env.CI === 'true' || process.env.CI === '1';
const verbose = process.env.MPL_TEST_VERBOSE === '1';

if (!existsSync(join(packageRoot, 'dist'))) {
  console.error('runtimes: dist/ is missing, run `npm run build` first');
  process.exit(1);
}

const totals = { passed: 0, failed: 0, skipped: 0, runtimes: {} };
// `control`: the suite reads what the server recorded, has it push, and drops every WebSocket
// through its test-control endpoint (/__control/*).
const reference = await startReferenceServer({ port: 0, host: '127.0.0.1', quiet: true, control: true });
const strict = await startReferenceServer({ port: 0, host: '127.0.0.1', quiet: true, mode: 'production', replies: 'id-less', handshakeReplyType: 'ai-alpn-response' });
// A scripted peer: answers the next hellos and requests with the literals a case queues (POST /__script).
const peer = await startTestServer({ cors: true });
const assets = await startAssetsServer();
const second = await makeSecondInstall();
const env = {
  assetsUrl: assets.url,
  serverUrl: reference.url,
  wsUrl: reference.wsUrl,
  serverControlUrl: `${reference.url}/__control`,
  strictServerUrl: strict.url,
  strictWsUrl: strict.wsUrl,
  peerUrl: `http://127.0.0.1:${peer.port}`,
  peerWsUrl: peer.wsUrl,
  secondCopyUrl: { node: second.entryUrl('node'), bun: second.entryUrl('bun'), deno: second.entryUrl('deno') },
};

try {
  for (const stage of stages) {
    if (wanted.length && !wanted.includes(stage.name)) continue;
    const absent = stage.missing?.();
    if (absent) {
      console.log(absent);
      if (ci) {
        console.log(`${stage.name}: 0 passed, 1 failed (browser missing under CI)`);
        totals.failed += 1;
        totals.runtimes[stage.name] = { passed: 0, failed: 1 };
      } else {
        console.log(`${stage.name}: skipped`);
        totals.skipped += 1;
      }
      continue;
    }
    const started = Date.now();
    let result;
    try {
      result = await stage.run(env);
    } catch (error) {
      result = { passed: 0, failed: 1, results: [{ name: 'runner', ok: false, error: String(error?.stack ?? error) }] };
    }
    for (const r of result.results) {
      if (!r.ok) console.log(`  ✗ [${stage.name}] ${r.name}\n      ${String(r.error).replace(/\n/g, '\n      ')}`);
      else if (verbose) console.log(`  ✓ [${stage.name}] ${r.name} (${r.ms ?? 0} ms)`);
    }
    totals.passed += result.passed;
    totals.failed += result.failed;
    totals.runtimes[stage.name] = { passed: result.passed, failed: result.failed, ms: Date.now() - started, entry: result.entry };
    console.log(`${stage.name}: ${result.passed} passed, ${result.failed} failed  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (verbose && result.entry) console.log(`  [${stage.name}] package loaded from ${result.entry}`);
  }
} finally {
  await assets.close();
  await second.remove();
  await reference.close();
  await strict.close();
  await peer.close();
}

if (countsFile) await writeFile(countsFile, JSON.stringify(totals));
process.exit(totals.failed > 0 ? 1 : 0);

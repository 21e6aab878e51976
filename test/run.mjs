#!/usr/bin/env node
// `npm test`: runs every suite (Node unit and integration tests, then the runtime
// stages) against the fresh build and ends with one line `N passed, N failed`.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2); // optional: file or folder filters, e.g. `node test/run.mjs test/protocol`

async function findTests(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['fixtures', 'bench', 'support', 'browser', 'apps', 'consumers', 'node_modules'].includes(entry.name)) out.push(...(await findTests(path)));
    } else if (/\.test\.(ts|mjs)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

// Each stage runs in its own process group under a time limit, so a test that never
// settles, or a handle that keeps a test file alive, fails the run instead of hanging it.
const PER_TEST_TIMEOUT_MS = 120_000;
const minutes = (fallback) => (Number(process.env.MPL_TEST_STAGE_LIMIT_MIN) || fallback) * 60_000;
const STAGE_LIMIT_MS = { node: minutes(15), runtimes: minutes(10), consumers: minutes(15) };
const running = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const child of running) try { process.kill(-child.pid, 'SIGKILL'); } catch {}
    process.exit(130);
  });
}

function run(cmd, args, { limitMs, label, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', detached: true, env: { ...process.env, ...env } });
    running.add(child);
    const timer = limitMs && setTimeout(() => {
      console.log(`\n!!! ${label}: still running after ${limitMs / 60_000} min (a test that never settles, or a handle that keeps a test file alive): killed`);
      try { process.kill(-child.pid, 'SIGKILL'); } catch {}
    }, limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Runs test files with node:test (2 at a time); adds their counts to the totals and returns them. */
async function runNodeTests(label, files, { timeoutMs, limitMs, env }) {
  const counts = join(dir, `${label.replace(/\W+/g, '-')}.json`);
  const code = await run(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${timeoutMs}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./test/support/count-reporter.mjs', `--test-reporter-destination=${counts}`,
    ...files,
  ], { limitMs, label, env });
  const result = await readCounts(counts);
  if (code !== 0 && result.failed === 0) result.failed = 1; // a crash outside any test still fails the run
  for (const k of Object.keys(totals)) totals[k] += result[k];
  return result;
}

/** A stage's counts; a stage that wrote none (crashed, killed) counts as one failure. */
async function readCounts(file) {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return { passed: 0, failed: 1, skipped: 0 };
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const dir = await mkdtemp(join(tmpdir(), 'mpl-test-'));
try {
  let files = (await findTests(join(root, 'test'))).map((f) => relative(root, f));
  if (only.length) files = files.filter((f) => only.some((o) => f.startsWith(o)));
  // The Node 22 and 24 binaries the runtime stages and consumer cases use (a project of their own).
  const { ensureNodeVersions } = await import('./runtimes/node/stage.mjs');
  await ensureNodeVersions();
  // The native hash baseline (Rust, test/bench/native) that hashing tests compare with is
  // built here, outside any test's time limit: in a fresh clone cargo first compiles its
  // crates, which can outlast a test's 2 minutes on a loaded machine.
  if (files.some((f) => f.startsWith('test/hashing/'))) {
    await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
      "const { buildNative } = await import('./test/bench/native/baseline.ts'); const b = buildNative(); console.log('native hash baseline: ' + ('missing' in b ? b.missing : 'built'));",
    ], { limitMs: minutes(10), label: 'native hash baseline build' });
  }
  if (files.length) { // node --test with no files would go looking for tests itself
    const node = await runNodeTests('node tests', files, { timeoutMs: PER_TEST_TIMEOUT_MS, limitMs: STAGE_LIMIT_MS.node });
    console.log(`node tests: ${node.passed} passed, ${node.failed} failed`);
  }

  // The consumer stage: the package as users get it (the tarball of `npm pack`, packed once
  // here) installed into fresh projects and built and run by their toolchains (test/consumers).
  // Each case builds or compiles a project, hence the longer per-test limit.
  if (!only.length || only.some((o) => 'test/consumers/'.startsWith(o) || o.startsWith('test/consumers'))) {
    let cases = (await readdir(join(root, 'test/consumers'))).filter((f) => f.endsWith('.test.mjs')).map((f) => `test/consumers/${f}`);
    if (only.some((o) => o.startsWith('test/consumers/'))) cases = cases.filter((f) => only.some((o) => f.startsWith(o)));
    const started = Date.now();
    console.log('\nconsumer cases (the packed tarball in fresh projects):');
    const packDir = join(dir, 'pack');
    await mkdir(packDir, { recursive: true });
    const tarball = await new Promise((resolve) => {
      execFile('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: root, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
        if (error) console.log(`!!! npm pack failed: ${stderr || error.message}`);
        resolve(error ? undefined : join(packDir, JSON.parse(stdout)[0].filename));
      });
    });
    const figures = join(dir, 'figures');
    await mkdir(figures, { recursive: true });
    const consumers = tarball
      ? await runNodeTests('consumer cases', cases, { timeoutMs: 300_000, limitMs: STAGE_LIMIT_MS.consumers, env: { MPL_CONSUMER_TARBALL: tarball, MPL_CONSUMER_FIGURES: figures } })
      : { passed: 0, failed: 1, skipped: 0 };
    if (!tarball) totals.failed += 1;
    const vite = await readFile(join(figures, 'vite-download.json'), 'utf8').then(JSON.parse, () => undefined);
    if (vite) console.log(`  a Vite app downloads ${vite.bytes} B (${(vite.bytes / 1024).toFixed(1)} KiB, gzip -9) before its first validated, hashed message`);
    console.log(`consumer cases: ${consumers.passed} passed, ${consumers.failed} failed  (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }

  // The runtime stages: the portable conformance suite against the built package in every
  // runtime (test/runtimes/run.mjs prints one line per runtime). With filters, they run
  // only when a filter covers test/runtimes/run.mjs (`test`, `test/runtimes`).
  if (!only.length || only.some((o) => 'test/runtimes/run.mjs'.startsWith(o))) {
    const runtimeCounts = join(dir, 'runtimes.json');
    console.log('\nconformance suite on the built package:');
    const rcode = await run(process.execPath, ['--import', 'tsx', 'test/runtimes/run.mjs', '--counts', runtimeCounts], { limitMs: STAGE_LIMIT_MS.runtimes, label: 'runtime stages' });
    const runtimes = await readCounts(runtimeCounts);
    if (rcode !== 0 && runtimes.failed === 0) runtimes.failed = 1;
    for (const k of Object.keys(totals)) totals[k] += runtimes[k];
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);

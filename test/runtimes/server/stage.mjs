// The server stage: the reference server's one definition (demo/server/definition.ts)
// served by mpl-sdk/server in Node, Deno, Bun and workerd (miniflare), each in a process
// of its own; the SDK's Session (WebSocket and HTTP) and Client, here in Node, run the
// conformance cases that talk to a server (SERVER_CASES) against each; then the hostile
// inputs (hostile.mjs) against each runtime's hostile-input server (hostile-app.ts).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import * as sdk from 'mpl-sdk';
import { SERVER_CASES, runConformance } from '../../conformance/index.mjs';
import { denoBin, denoEnv, denoRunArgs, makeDenoProject } from '../deno/stage.mjs';
import { packageRoot } from '../support/exports.mjs';
import { bundleWorker, workerdOptions } from '../workerd/bundle.mjs';
import { READY_MARK, SERVER_CONFIGS } from './configs.ts';
import { runHostileCases, runShutdownCase } from './hostile.mjs';

const READY_WITHIN_MS = 60_000;
const here = join(packageRoot, 'test/runtimes/server');

/** The imports a Deno project needs to run the server program from the repository. */
export const denoServerImports = { 'mpl-sdk': 'npm:mpl-sdk', 'mpl-sdk/': 'npm:mpl-sdk/' };

/** Reads the ready line of the server programs here: their ports by name. */
const readyMark = (line) => (line.startsWith(READY_MARK) ? JSON.parse(line.slice(READY_MARK.length)) : undefined);

/**
 * Starts a server program; resolves with `{ ready, stop() }` once `ready(line)` returned
 * something for a line it printed (by default the ports of its ready line). Its stderr is
 * kept for the failure message.
 */
export function startProgram(cmd, args, { cwd = packageRoot, env = {}, ready = readyMark } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`no ready line within ${READY_WITHIN_MS} ms`)), READY_WITHIN_MS);
    const stop = () => new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGKILL');
    });
    /** SIGTERM, as a process manager stops a server: resolves with the exit code (a signal's name if it died of one). */
    const terminate = () => new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode ?? child.signalCode);
      child.once('exit', (code, signal) => done(code ?? signal));
      child.kill('SIGTERM');
    });
    function fail(error) {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${error.message}\n${(err || out).split('\n').slice(-25).join('\n')}`));
    }
    child.on('error', fail);
    child.on('exit', (code) => fail(new Error(`the server program exited with ${code}`)));
    let done = false;
    // Deno.serve announces itself on stderr, the programs here on stdout: either counts.
    const look = () => {
      const found = `${out}\n${err}`.split('\n').map(ready).find((r) => r !== undefined);
      if (found === undefined || done) return;
      done = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ ready: found, stop, terminate });
    };
    child.stderr.on('data', (chunk) => { err += chunk; look(); });
    child.stdout.on('data', (chunk) => { out += chunk; look(); });
  });
}

/** The servers of a program (reference, strict, hostile) as base URLs. */
const urlsOf = (ports) => Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, `http://127.0.0.1:${port}`]));

/** workerd: each configuration in a Miniflare of its own, listening on a free port. */
async function startWorkerd() {
  const dir = await mkdtemp(join(tmpdir(), 'mpl-server-workerd-'));
  const instances = [];
  try {
    await bundleWorker(join(here, 'worker.ts'), dir);
    const base = await workerdOptions(dir);
    const urls = {};
    const configs = [...Object.entries(SERVER_CONFIGS).map(([name, options]) => [name, JSON.stringify(options)]), ['hostile', 'hostile']];
    for (const [name, options] of configs) {
      const mf = new Miniflare({ ...base, host: '127.0.0.1', port: 0, durableObjects: { REFERENCE: 'ReferenceObject' }, bindings: { SERVER_OPTIONS: options } });
      instances.push(mf);
      urls[name] = (await mf.ready).origin;
    }
    return { urls, stop: async () => { await Promise.all(instances.map((mf) => mf.dispose())); await rm(dir, { recursive: true, force: true }); } };
  } catch (error) {
    await Promise.all(instances.map((mf) => mf.dispose()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** How each runtime's server starts: resolves with `{ urls, stop() }`. */
const servers = {
  async node() {
    const p = await startProgram(process.execPath, ['--import', 'tsx', join(here, 'node.ts')]);
    return { urls: urlsOf(p.ready), stop: p.stop, terminate: p.terminate };
  },
  async deno() {
    const dir = await makeDenoProject(denoServerImports);
    try {
      const p = await startProgram(denoBin, denoRunArgs(dir, join(here, 'deno.ts')), { cwd: dir, env: denoEnv });
      return { urls: urlsOf(p.ready), stop: async () => { await p.stop(); await rm(dir, { recursive: true, force: true }); }, terminate: p.terminate };
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  },
  async bun() {
    const p = await startProgram(join(packageRoot, 'node_modules/.bin/bun'), [join(here, 'bun.ts')]);
    return { urls: urlsOf(p.ready), stop: p.stop, terminate: p.terminate };
  },
  workerd: startWorkerd,
};

/** The conformance env for a running pair of servers. */
export function serverEnv(urls, runtime) {
  const ws = (url) => `${url.replace('http', 'ws')}/ws`;
  return {
    runtime: `node→${runtime}`,
    serverUrl: urls.reference,
    wsUrl: ws(urls.reference),
    serverControlUrl: `${urls.reference}/__control`,
    strictServerUrl: urls.strict,
    strictWsUrl: ws(urls.strict),
  };
}

/** One stage per runtime, in the shape of test/runtimes/run.mjs's stages. */
export const stages = Object.entries(servers).map(([runtime, start]) => ({
  name: `server:${runtime}`,
  async run() {
    let running;
    try {
      running = await start();
    } catch (error) {
      return { passed: 0, failed: 1, results: [{ name: `the ${runtime} server starts`, ok: false, error: String(error?.stack ?? error) }] };
    }
    try {
      const cases = await runConformance(sdk, serverEnv(running.urls, runtime), undefined, SERVER_CASES);
      const hostile = await runHostileCases(running.urls.hostile, runtime);
      // Last: it ends the server program (Node, Deno, Bun; a Worker has no process to stop).
      const shutdown = running.terminate ? await runShutdownCase(running.urls.graceful, running.terminate) : { passed: 0, failed: 0, results: [] };
      const all = [cases, hostile, shutdown];
      return { passed: all.reduce((n, r) => n + r.passed, 0), failed: all.reduce((n, r) => n + r.failed, 0), results: all.flatMap((r) => r.results) };
    } finally {
      await running.stop();
    }
  },
}));

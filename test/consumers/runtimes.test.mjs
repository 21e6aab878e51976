// Node (20, 22, 24; ESM and require), Bun and Deno users: the packed package installed
// with npm into a fresh project, the README's examples run as they run them.
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nodeBinary } from '../runtimes/node/stage.mjs';
import { denoBin, denoEnv } from '../runtimes/deno/stage.mjs';
import { packageRoot, readPackageJson } from '../runtimes/support/exports.mjs';
import { assertReport, aliveVector, startServer } from './support/expect.mjs';
import { makeProject } from './support/project.mjs';

const bunBin = join(packageRoot, 'node_modules/.bin/bun');
const nodes = { 20: process.execPath, 22: nodeBinary(22), 24: nodeBinary(24) };

describe('Node, Bun and Deno projects that installed the packed package', { concurrency: 3 }, () => {
  let server;
  let project;

  before(async () => {
    server = await startServer();
    project = await makeProject('runtimes', {
      files: { 'main.mjs': 'node/main.mjs', 'main.cjs': 'node/main.cjs', 'qom.mjs': 'node/qom.mjs', 'hash-only.mjs': 'bun/hash-only.mjs', 'which-wasm.mjs': 'bun/which-wasm.mjs', 'main.ts': 'deno/main.ts' },
    });
    // Deno reads the dependency from package.json and finds it in node_modules (no registry),
    // as in a project where `npm install mpl-sdk` saved it.
    await writeFile(join(project.dir, 'package.json'), JSON.stringify({ name: 'consumer-runtimes', private: true, type: 'module', dependencies: { 'mpl-sdk': readPackageJson().version } }));
    await writeFile(join(project.dir, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
  });
  after(async () => {
    await server?.close();
    await project?.remove();
  });

  for (const [major, bin] of Object.entries(nodes)) {
    it(`Node ${major}: \`node main.mjs\` (import)`, async () => {
      const { stdout } = await project.run(bin, ['main.mjs', server.wsUrl]);
      assertReport(stdout, server);
    });
    it(`Node ${major}: \`node main.cjs\` (require of the ESM package, as engines allow)`, async () => {
      const { stdout } = await project.run(bin, ['main.cjs', server.wsUrl]);
      assertReport(stdout, server);
    });
  }

  // mpl-sdk/qom beside mpl-sdk: one QomBreachError class, the package's own, whichever entry threw it.
  const qomLines = [
    'evaluate: {"meetsProfile":false,"failures":[{"metric":"instructionCompliance","actual":0.9,"threshold":0.97}]}',
    'read: {"schemaFidelity":1,"instructionCompliance":0.5}',
    'breach: instructionCompliance 0.5',
  ];
  for (const [name, bin] of [...Object.entries(nodes).map(([major, bin]) => [`Node ${major}`, bin]), ['Bun', bunBin]]) {
    it(`${name}: \`node qom.mjs\` (mpl-sdk/qom beside mpl-sdk)`, async () => {
      const { stdout } = await project.run(bin, ['qom.mjs']);
      assert.deepEqual(stdout.trim().split('\n'), qomLines);
    });
  }

  it('the engines range is the Node versions these cases run', () => {
    assert.equal(readPackageJson().engines.node, '^20.19.0 || >=22.12.0');
  });

  it('Bun: `bun main.mjs`', async () => {
    const { stdout } = await project.run(bunBin, ['main.mjs', server.wsUrl]);
    assertReport(stdout, server);
  });

  it('Bun: a script whose only work is `semanticHash(x).then(console.log)` prints the hash before exiting', async () => {
    const { stdout } = await project.run(bunBin, ['hash-only.mjs']);
    assert.equal(stdout.trim(), aliveVector.hash);
  });

  it('Bun on x86-64 reads dist/blake3-jsc.wasm (elsewhere dist/blake3.wasm), and it hashes as Node does', async () => {
    const bun = JSON.parse((await project.run(bunBin, ['which-wasm.mjs'])).stdout);
    const node = JSON.parse((await project.run(process.execPath, ['which-wasm.mjs'])).stdout);
    const size = async (file) => (await stat(join(project.dir, 'node_modules/mpl-sdk/dist', file))).size;
    assert.deepEqual(bun.sizes, [await size(bun.arch === 'x64' ? 'blake3-jsc.wasm' : 'blake3.wasm')], `Bun on ${bun.arch}`);
    assert.deepEqual(node.sizes, [await size('blake3.wasm')], 'Node');
    assert.equal(bun.hash, node.hash);
  });

  it('Deno: `deno run --allow-net main.ts` with `npm:mpl-sdk` from node_modules; `deno check main.ts` passes (the README\'s only TypeScript client)', async () => {
    const { stdout } = await project.run(denoBin, ['run', '--allow-net', '--no-prompt', '--no-lock', 'main.ts', server.wsUrl], { env: denoEnv });
    assertReport(stdout, server);
    await project.run(denoBin, ['check', '--no-lock', 'main.ts'], { env: denoEnv });
  });
});

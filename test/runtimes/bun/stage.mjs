// Bun stage: `node_modules/.bin/bun test/runtimes/bun/runner.mjs`.
import { join } from 'node:path';
import { packageRoot } from '../support/exports.mjs';
import { runRunner } from '../support/subprocess.mjs';

export const name = 'bun';

export async function run(env) {
  return runRunner(join(packageRoot, 'node_modules/.bin/bun'), [join(packageRoot, 'test/runtimes/bun/runner.mjs'), JSON.stringify(env)], { cwd: packageRoot });
}
